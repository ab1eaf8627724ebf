package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.training.data.ImageDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN loss stops the run with its step and leaves the last good checkpoint, or is skipped by choice. */
class NonFiniteLossTest {

    @Test
    void stopsWithTheStepAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        AtomicBoolean poisoned = new AtomicBoolean();
        TrainingData data = poisonable(poisoned);
        Pretrainer trainer = Pretrainer.start(TinyRuns.MAE, TinyRuns.config(3), data, dir)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(int epoch, double meanLoss) {
                        poisoned.set(true);
                    }
                });
        Path good = Checkpoints.path(dir, 8);
        assertThatThrownBy(trainer::run).isInstanceOf(NonFiniteLossException.class)
                .hasMessageStartingWith("loss is NaN at step 9 (epoch 2); the run stopped. The last good checkpoint is "
                        + good);
        CheckpointState state = Checkpoints.readState(dir);
        assertThat(state.step()).isEqualTo(8);
    }

    @Test
    void skipsNonFiniteStepsWhenAskedAndCountsThem(@TempDir Path dir) throws Exception {
        AtomicBoolean poisoned = new AtomicBoolean(true);
        TrainConfig config = TinyRuns.config(1).toBuilder().nonFiniteLoss(NonFiniteLossPolicy.SKIP).build();
        RunSummary summary = Pretrainer.start(TinyRuns.MAE, config, poisonable(poisoned), dir).run();
        assertThat(summary.steps()).isEqualTo(8);
        assertThat(summary.skippedSteps()).isEqualTo(8);
    }

    @Test
    void skippingGivesUpAfterTooManyNonFiniteStepsInARow(@TempDir Path dir) {
        TrainConfig config = TinyRuns.config(4).toBuilder().nonFiniteLoss(NonFiniteLossPolicy.SKIP).build();
        Pretrainer trainer = Pretrainer.start(TinyRuns.MAE, config, poisonable(new AtomicBoolean(true)), dir)
                .nonFinitePatience(5);

        assertThatThrownBy(trainer::run).isInstanceOf(NonFiniteLossException.class)
                .hasMessageStartingWith("the loss was NaN or infinite in 6 steps in a row, up to step 6 (epoch 1):"
                        + " skipping them would not recover, so the run stopped. No checkpoint had been written yet.");
    }

    @Test
    void aNonFiniteLossRightAfterAResumeNamesTheCheckpointResumedFrom(@TempDir Path dir) throws Exception {
        AtomicBoolean poisoned = new AtomicBoolean();
        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), poisonable(poisoned), dir).run();
        poisoned.set(true);
        Pretrainer resumed = Pretrainer.resume(dir, poisonable(poisoned), dir);

        assertThatThrownBy(resumed.config(resumed.config().toBuilder().epochs(2).build())::run)
                .hasMessageStartingWith("loss is NaN at step 9 (epoch 2); the run stopped. The last good checkpoint is "
                        + Checkpoints.path(dir, 8) + ".");
    }

    /** 64 synthetic images that all turn to NaN once {@code poisoned} is set. */
    private static TrainingData poisonable(AtomicBoolean poisoned) {
        TrainingData clean = TinyRuns.data(64);
        ImageDataset inner = clean.dataset();
        ImageDataset dataset = new AlteredImages(inner, "poisonable", (index, image) -> {
            if (!poisoned.get()) {
                return image;
            }
            float[] nan = new float[image.pixels().length];
            Arrays.fill(nan, Float.NaN);
            return new FloatImage(image.channels(), image.height(), image.width(), nan);
        });
        return new TrainingData(dataset, clean.trainTransform(), clean.viewTransform(), clean.normalization(),
                clean.badImages());
    }
}
