package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.finetune.FineTuner;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints written by every earlier schema still load, and give the same numbers. Each
 * {@code checkpoints/vN/} holds three, written by {@code ./mim4j pretrain --spec} and
 * {@code ./mim4j finetune} of the version that wrote schema N (v1: main at a9725c8, before the DSL was
 * opened; v2: the version that opened it), on 28x28 grayscale images: a tiny MAE (sin-cos positions,
 * fused qkv bias) and a tiny SimMIM (relative bias, q/v biases, layer scale), 20 steps each, and one
 * epoch of fine-tuning from the SimMIM one. The losses are what the writing version computed for the
 * same inputs. A new schema adds its folder and its losses here.
 */
class CheckpointCompatibilityTest {

    @ParameterizedTest(name = "schema {0}")
    @CsvSource({"1, 1.2411084175109863", "2, 1.2696579694747925"})
    void anMaeCheckpointGivesTheLossItGaveWhenItWasWritten(int schema, double expected, @TempDir Path dir)
            throws Exception {
        MimModel model = Checkpoints.loadModel(copy(schema, "mae-pretrain", dir));
        assertThat(model.describe()).isEqualTo("random patches 0.75, drop masked tokens,"
                + " transformer decoder 8x1 (2 heads), normalised pixels, MSE on masked patches");
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            model.train(false);
            Tensor noise = Tensors.floats(pattern(2 * 16, 0.37), 2, 16);
            double loss = model.forward(images(), MaskSample.fromNoise(noise, 4)).loss().item_double();
            assertThat(loss).isCloseTo(expected, offset(1e-6));
        }
    }

    @ParameterizedTest(name = "schema {0}")
    @CsvSource({"1, 0.6412221789360046", "2, 0.8004786372184753"})
    void aSimMimCheckpointGivesTheLossItGaveWhenItWasWritten(int schema, double expected, @TempDir Path dir)
            throws Exception {
        MimModel model = Checkpoints.loadModel(copy(schema, "simmim-pretrain", dir));
        assertThat(model.describe()).isEqualTo("14x14 blocks 0.5, replace masked tokens with a mask token,"
                + " linear pixel decoder, pixels, L1 on masked patches");
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            model.train(false);
            float[] mask = new float[2 * 16];
            for (int t : new int[] {0, 1, 4, 5, 10, 11, 14, 15}) {
                mask[t] = 1;
                mask[16 + (t + 2) % 16] = 1;
            }
            double loss = model.forward(images(), MaskSample.fromMask(Tensors.floats(mask, 2, 16)))
                    .loss().item_double();
            assertThat(loss).isCloseTo(expected, offset(1e-6));
        }
    }

    @ParameterizedTest(name = "schema {0}")
    @ValueSource(ints = {1, 2})
    void aFineTuningCheckpointLoadsItsClassifierAndOptimiser(int schema, @TempDir Path dir) throws Exception {
        Path checkpoint = copy(schema, "simmim-finetune", dir);
        // a batch of 500, as the run had
        SyntheticDataset data = SyntheticDataset.of(1000, new ImageSize(1, 28, 28), 3);
        Normalize normalize = new Normalize(new float[] {0.3f}, new float[] {0.35f});
        ImageTransform view = Transforms.eval(28, normalize);
        TrainingData train = new TrainingData(data, view, view, normalize, BadImagePolicy.FAIL);
        // The run had finished its one epoch: resuming loads the model and optimiser strictly and has nothing
        // left to train.
        double accuracy = FineTuner.resume(checkpoint, train, data, dir).run();
        assertThat(accuracy).isNaN();
    }

    /** Two 28x28 grayscale images with smooth, distinct content. */
    private static Tensor images() {
        return Tensors.floats(pattern(2 * 28 * 28, 0.05), 2, 1, 28, 28);
    }

    private static float[] pattern(int count, double frequency) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (0.5 + 0.5 * Math.sin(i * frequency + Math.cos(i * 0.011)));
        }
        return values;
    }

    private static Path copy(int schema, String name, Path dir) throws IOException {
        Path target = dir.resolve(name).resolve("checkpoint-00000001.safetensors");
        Files.createDirectories(target.getParent());
        try (InputStream in = CheckpointCompatibilityTest.class.getResourceAsStream(
                "/checkpoints/v" + schema + "/" + name + ".safetensors")) {
            Files.copy(in, target);
        }
        return target;
    }
}
