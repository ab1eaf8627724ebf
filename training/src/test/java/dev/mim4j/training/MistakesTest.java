package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.weights.SafetensorsWriter;
import dev.mim4j.training.eval.LinearProbeConfig;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * A caller's mistake is a Mim4jException whose message names the value and whose subject says what it was; a
 * missing argument is a NullPointerException that names it.
 */
class MistakesTest {

    @Test
    void settingsOutOfRangeNameTheirField() {
        assertSubject(() -> TrainConfig.mae(10, 0), "batch size", "batch size 0 must be at least 1");
        assertSubject(() -> TrainConfig.mae(10, 8).toBuilder().warmupEpochs(20).build(), "warm-up epochs",
                "warm-up epochs 20.0 exceed the 10 epochs");
        assertSubject(() -> TrainConfig.mae(10, 8).toBuilder().baseLearningRate(1e300).build(), "base learning rate",
                "base learning rate 1.0E300 gives a peak rate of 3.125E298 for 8 images a step, more than the"
                        + " optimiser's float holds");
        assertSubject(() -> new LinearProbeConfig(1, 1, 0.1, 0, 0, 0), "linear probe batch size",
                "linear probe batch size 1 must be at least 2");
        assertSubject(() -> new MachineSettings("auto", -1, 1), "threads", "threads -1 must be at least 1, or 0 for the"
                + " best of the run's precision");
        assertSubject(() -> new SafetensorsWriter().add("__metadata__", new float[1], 1), "tensor name",
                "tensor name '__metadata__' is reserved for the metadata");
        assertSubject(() -> Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(8), Path.of("x"))
                .checkpointMetadata("mim4j.config", "{}"), "metadata key", "metadata key 'mim4j.config' is not one a"
                        + " program may set");
        assertSubject(() -> TinyRuns.data(8).withMaxBadImages(2), "max bad images",
                "the share of bad images 2.0 must be in [0, 1]");
        assertSubject(() -> MatmulRate.gigaflops(0, false, 1), "matmul", "a matmul of size 0 on 1 threads");
    }

    @Test
    void missingArgumentsAreNamed() {
        assertThatThrownBy(() -> Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), null, Path.of("x")))
                .isInstanceOf(NullPointerException.class).hasMessage("data");
        assertThatThrownBy(() -> Pretrainer.start((MimRecipe) null, TinyRuns.config(1), TinyRuns.data(8),
                Path.of("x")))
                .isInstanceOf(NullPointerException.class).hasMessage("recipe");
    }

    private static void assertSubject(Runnable mistake, String subject, String messageStart) {
        assertThatThrownBy(mistake::run).isInstanceOf(Mim4jException.class).hasMessageStartingWith(messageStart)
                .asInstanceOf(InstanceOfAssertFactories.type(Mim4jException.class))
                .extracting(Mim4jException::subject).isEqualTo(subject);
    }
}
