package dev.mim4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.randn;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.checkpoint.EncoderCheckpoint;
import dev.mim4j.models.inference.ImageEncoder;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.mim.MimOutput;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who owns what: a public call frees its own intermediates and hands its result to the caller, a model
 * outlives the scope it was built in, and closing a result never frees the caller's inputs.
 */
class NativeOwnershipTest {

    private static final ViT VIT = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(2).heads(2).build();
    private static final MimRecipe MAE = MimRecipe.mae(VIT).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build();

    @Test
    void callsWithNoScopeWhoseResultsAreClosedHoldTheirResidentMemory() {
        Natives.threads(1);
        VisionTransformer encoder = VisionTransformer.compile(VIT);
        MimModel model = MimModel.compile(MAE);
        Tensor images = randn(4, 3, 16, 16);
        MaskSample sample = MaskSample.draw(MAE.masking(), VIT.grid(), 4, new SplittableRandom(1));
        for (int i = 0; i < 300; i++) {
            encoder.encode(images).close();
            model.forward(images, sample).close();
        }
        long warm = ResidentMemory.outsideJvmHeaps();
        for (int i = 0; i < 3000; i++) {
            encoder.encode(images).close();
            try (MimOutput out = model.forward(images, sample)) {
                assertThat(out.loss().item_double()).isFinite();
            }
        }
        // Without the calls' own scopes, each call's intermediates wait for a garbage collection (measured: a
        // 6-block encoder grew by 3 GB in 500 calls); flat is well under 32 MB.
        assertThat(ResidentMemory.outsideJvmHeaps() - warm).as("native growth over 3,000 calls, bytes")
                .isLessThan(32L << 20);
    }

    @Test
    void closingAnOutputLeavesTheCallersMaskSampleAlone() {
        MimModel model = MimModel.compile(MAE);
        Tensor images = randn(2, 3, 16, 16);
        MaskSample sample = MaskSample.draw(MAE.masking(), VIT.grid(), 2, new SplittableRandom(2));
        for (int i = 0; i < 3; i++) {
            try (MimOutput out = model.forward(images, sample)) {
                assertThat(out.loss().item_double()).isFinite();
            }
        }
        assertThat(sample.mask().sum().item_double()).isEqualTo(2 * 12);
    }

    @Test
    void modelsBuiltInsideAScopeOutliveIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("encoder.safetensors");
        SafetensorsExport.write(StateDict.of(VisionTransformer.compile(VIT)), file, Map.of());
        ImageEncoder loaded;
        MimModel model;
        try (PointerScope scope = new PointerScope()) {
            loaded = ImageEncoder.load(file, VIT);
            model = MimModel.compile(MAE);
        }
        try (ImageEncoder encoder = loaded) {
            assertThat(encoder.featuresOfPixels(new float[2 * 3 * 16 * 16], 2)).hasNumberOfRows(2);
        }
        try (PointerScope scope = new PointerScope()) {
            assertThat(model.forward(randn(2, 3, 16, 16), new SplittableRandom(3)).loss().item_double()).isFinite();
        }
    }

    @Test
    void closingAnEncoderLetsGoOfEveryTensorItHeld(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("encoder.safetensors");
        SafetensorsExport.write(StateDict.of(VisionTransformer.compile(VIT)), file, Map.of());
        Encoder encoder = EncoderCheckpoint.load(file, VIT).encoder();
        Map<String, Tensor> state = StateDict.of(encoder.module());
        collectGarbage();
        assertThat(state.get("blocks.0.attn.qkv.weight").use_count()).as("held by the encoder too").isGreaterThan(1);

        encoder.module().close();
        collectGarbage();
        // RSS is no measure here (glibc keeps freed chunks); a tensor whose only holder is this test's handle is
        // freed with it
        state.forEach((name, tensor) -> assertThat(tensor.use_count()).as(name + "'s holders").isEqualTo(1));
    }

    private static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
