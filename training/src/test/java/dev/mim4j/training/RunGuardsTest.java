package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;

import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.ImageDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What keeps a run from hanging on bad data or from destroying another run's checkpoints. */
class RunGuardsTest {

    @Test
    void anEpochShortenedBySkippedImagesEndsAndTheRunFinishes(@TempDir Path dir) throws Exception {
        TrainingData clean = TinyRuns.data(64);
        ImageDataset inner = clean.dataset();
        ImageDataset oneUnreadable = new AlteredImages(inner, "one unreadable image among", (index, image) -> {
            if (index == 5) {
                throw new IOException("image 5: corrupt");
            }
            return image;
        });
        TrainingData data = new TrainingData(oneUnreadable, clean.trainTransform(), clean.viewTransform(),
                clean.normalization(), BadImagePolicy.SKIP_AND_COUNT).withMaxBadImages(0.05);
        TrainConfig config = TinyRuns.config(2).toBuilder().batchSize(16).picturesEveryEpochs(1).build();
        RunSummary summary = Pretrainer.start(TinyRuns.MAE, config, data, dir).run();
        // 63 readable images make 3 full batches of 16 an epoch, not 4
        assertThat(summary.steps()).isEqualTo(6);
        assertThat(summary.skippedImages()).isEqualTo(2);
        assertThat(dir.resolve("reconstruction-epoch0002.png")).exists();
    }

    @Test
    @Timeout(60) // it hung: an epoch that yields nothing from its start was taken up again and again
    void epochsWhoseImagesAllFailToReadEndAndTheRunFinishesWithoutASteps(@TempDir Path dir) throws Exception {
        TrainingData clean = TinyRuns.data(32);
        ImageDataset unreadable = new AlteredImages(clean.dataset(), "unreadable", (index, image) -> {
            throw new IOException("image " + index + ": corrupt");
        });
        TrainingData data = new TrainingData(unreadable, clean.trainTransform(), clean.viewTransform(),
                clean.normalization(), BadImagePolicy.SKIP_AND_COUNT).withMaxBadImages(1.0);
        RunSummary summary = Pretrainer.start(TinyRuns.MAE, TinyRuns.config(2), data, dir).run();
        assertThat(summary.steps()).isZero();
        assertThat(summary.skippedImages()).isEqualTo(64);
    }

    @Test
    void aNewRunRefusesAFolderHoldingAnotherRunsCheckpoints(@TempDir Path dir) throws Exception {
        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(64), dir).run();
        assertThatThrownBy(() -> Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(64), dir).run())
                .hasMessage(dir + " already holds checkpoints of another run (newest checkpoint-00000008.safetensors):"
                        + " resume that run, or choose another output folder");
    }
}
