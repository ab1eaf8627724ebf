package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.models.ResidentMemory;
import dev.mim4j.models.checkpoint.CheckpointFiles;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.inference.ImageEncoder;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.weights.IncompatibleWeightsException;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.training.data.SyntheticDataset;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference API as a user meets it: a checkpoint in, features out, with no scope, no trainer and no
 * mode switching in user code.
 */
class ImageEncoderTest {

    @TempDir
    static Path runs;
    static Path maeRun;
    static Path simmimRun;

    @BeforeAll
    static void pretrain() throws Exception {
        maeRun = runs.resolve("mae");
        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(16), maeRun).run();
        simmimRun = runs.resolve("simmim");
        MimRecipe simmim = MimRecipe.on(TinyRuns.VIT).masking(Masking.blocks(8, 0.5))
                .maskedTokens(MaskedTokens.REPLACE_WITH_TOKEN).decoder(Decoder.linearPixels()).target(Target.pixels())
                .loss(Loss.l1().maskedOnly()).build();
        Pretrainer.start(simmim, TinyRuns.config(1), TinyRuns.data(16), simmimRun).run();
    }

    @Test
    void aLoopOfTenThousandCallsWithNoScopeHoldsItsResidentMemory() throws Exception {
        try (ImageEncoder encoder = ImageEncoder.load(maeRun)) {
            List<BufferedImage> images = List.of(image(16, 16, 1), image(16, 16, 2));
            for (int i = 0; i < 500; i++) {
                encoder.features(images);
            }
            long warm = ResidentMemory.bytes();
            for (int i = 0; i < 10_000; i++) {
                assertThat(encoder.features(images)[1]).hasSize(32);
            }
            long after = ResidentMemory.bytes();
            // Without the call's own scope, the encoder's intermediates stay until a GC: measured +3.1 GB in 500
            // calls of a 6-block encoder; within 5% of the warm figure is flat.
            assertThat((double) after).as("resident bytes after 10,000 calls, against %d after warm-up", warm)
                    .isLessThan(warm * 1.05);
        }
    }

    @Test
    void eightThreadsGetWhatOneThreadGetsBitForBit() throws Exception {
        try (ImageEncoder encoder = ImageEncoder.load(maeRun).batchSize(3)) {
            List<List<BufferedImage>> inputs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                inputs.add(List.of(image(16, 16, 10 * t), image(20, 24, 10 * t + 1), image(16, 16, 10 * t + 2),
                        image(16, 16, 10 * t + 3)));
            }
            List<float[][]> serial = new ArrayList<>();
            for (List<BufferedImage> input : inputs) {
                serial.add(encoder.features(input));
            }
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 5; round++) {
                    List<Future<float[][]>> futures = new ArrayList<>();
                    for (List<BufferedImage> input : inputs) {
                        futures.add(threads.submit(() -> encoder.features(input)));
                    }
                    for (int t = 0; t < 8; t++) {
                        assertThat(futures.get(t).get()).as("thread %d, round %d", t, round).isEqualTo(serial.get(t));
                    }
                }
            } finally {
                threads.shutdown();
            }
        }
    }

    @Test
    void theEncoderLoadedAloneGivesWhatTheWholeModelsEncoderGives() throws Exception {
        SyntheticDataset data = SyntheticDataset.of(10, new ImageSize(3, 16, 16), 4);
        float[] pixels = new float[10 * 3 * 16 * 16];
        for (int i = 0; i < 10; i++) {
            System.arraycopy(data.read(i).pixels(), 0, pixels, i * 768, 768);
        }
        for (Path run : List.of(maeRun, simmimRun)) {
            MimModel model = Checkpoints.loadModel(run);
            try (ImageEncoder alone = ImageEncoder.load(run).pooling(Pooling.MEAN).block(1).batchSize(4)) {
                ImageEncoder inHand = ImageEncoder.of(model.encoder(), Checkpoints.readNormalization(run))
                        .pooling(Pooling.MEAN).block(1).batchSize(4);
                assertThat(alone.featuresOfPixels(pixels, 10)).as(run.getFileName().toString())
                        .isEqualTo(inHand.featuresOfPixels(pixels, 10));
            }
        }
    }

    @Test
    void patchTokensAreTheGridWithoutTheClsToken() throws Exception {
        try (ImageEncoder encoder = ImageEncoder.load(maeRun)) {
            float[][][] tokens = encoder.patchTokens(List.of(image(16, 16, 5), image(64, 48, 6)));
            assertThat(tokens).hasDimensions(2, 16);
            assertThat(tokens[1][15]).hasSize(32);
        }
    }

    @Test
    void itBuildsTheEncoderAloneAndRefusesACheckpointThatLacksOneOfItsTensors(@TempDir Path dir) throws Exception {
        Path checkpoint = CheckpointFiles.latest(maeRun).orElseThrow();
        try (ImageEncoder encoder = ImageEncoder.load(checkpoint)) {
            assertThat(encoder.pooling()).isEqualTo(Pooling.CLS);
            assertThat(encoder.blocks()).isEqualTo(2);
            assertThat(encoder.toString()).contains(checkpoint.toString());
        }
        Path lacking = dir.resolve("lacking.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope(); SafetensorsWeights weights = SafetensorsWeights.open(checkpoint)) {
            for (String name : weights.names()) {
                if (!name.equals("model.norm.weight")) {
                    tensors.put(name, weights.read(name));
                }
            }
            SafetensorsExport.write(tensors, lacking, Checkpoints.metadata(checkpoint));
        }
        assertThatThrownBy(() -> ImageEncoder.load(lacking)).isInstanceOf(IncompatibleWeightsException.class)
                .hasMessageContaining("norm.weight");
        assertThatThrownBy(() -> ImageEncoder.load(dir.resolve("no-such-run"))).hasMessageContaining("no-such-run");
        assertThatThrownBy(() -> ImageEncoder.load(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("checkpoint");
    }

    @Test
    void atAnotherImageSizeTheLearnedPositionsAreResampledAndTheEncoderSaysSo(@TempDir Path dir) throws Exception {
        ViT learned = TinyRuns.VIT.toBuilder().absolutePosition(AbsolutePosition.LEARNED).build();
        Path run = dir.resolve("learned");
        Pretrainer.start(MimRecipe.mae(learned).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build(),
                TinyRuns.config(1), TinyRuns.data(8), run).run();
        try (ImageEncoder same = ImageEncoder.load(run);
                ImageEncoder larger = ImageEncoder.load(run, learned.toBuilder().image(32, 32, 3).build())) {
            assertThat(same.adaptations()).isEmpty();
            assertThat(larger.adaptations()).containsExactly("pos_embed: model [1, 65, 32], checkpoint [1, 17, 32]");
            assertThat(larger.normalization().mean()).isEqualTo(same.normalization().mean());
            assertThat(larger.features(image(32, 32, 9))).hasSize(32);
        }
    }

    @Test
    void aClosedEncoderSaysSo() throws Exception {
        ImageEncoder encoder = ImageEncoder.load(maeRun);
        ImageEncoder view = encoder.pooling(Pooling.MEAN);
        encoder.close();
        assertThatThrownBy(() -> view.features(image(16, 16, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    private static BufferedImage image(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }
}
