package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recipe with explicit masking pre-trains on the masks its caller gives, and says so when none are given. */
class ExplicitMasksTest {

    private static final MimRecipe EXPLICIT = TinyRuns.MAE.toBuilder().masking(Masking.explicit()).build();

    /** Noise from the micro-batch alone, as a replayed run would give it: MAE keeps the 4 smallest of 16. */
    private static MaskSample noiseOf(long microBatch, int batch) {
        SplittableRandom random = new SplittableRandom(microBatch);
        float[] noise = new float[batch * 16];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextFloat();
        }
        return MaskSample.fromNoise(Tensors.floats(noise, batch, 16), 4);
    }

    @Test
    void withoutASourceOfMasksTheRunRefusesToStart(@TempDir Path dir) {
        assertThatThrownBy(() -> Pretrainer.start(EXPLICIT, TinyRuns.config(1), TinyRuns.data(16), dir).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the model's masking cannot draw masks (explicit masking has no policy to draw"
                        + " masks from");
    }

    @Test
    void theGivenMasksTrainTheModelAndResumeExactly(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(2).toBuilder().checkpointEverySteps(2).keepCheckpoints(5).build();
        List<Double> whole = new ArrayList<>();
        Pretrainer.start(EXPLICIT, config, TinyRuns.data(32), dir.resolve("whole")).masks(ExplicitMasksTest::noiseOf)
                .listener(TinyRuns.stepLosses(whole, -1)).run();
        assertThat(whole).hasSize(8).allMatch(Double::isFinite);

        Path half = dir.resolve("half");
        Files.createDirectories(half);
        Files.copy(Checkpoints.path(dir.resolve("whole"), 4), Checkpoints.path(half, 4));
        List<Double> rest = new ArrayList<>();
        Pretrainer.resume(half, TinyRuns.data(32), half).masks(ExplicitMasksTest::noiseOf)
                .listener(TinyRuns.stepLosses(rest, -1)).run();
        assertThat(rest).containsExactlyElementsOf(whole.subList(4, 8));
    }
}
