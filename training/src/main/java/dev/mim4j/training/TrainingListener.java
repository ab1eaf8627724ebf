package dev.mim4j.training;

import java.nio.file.Path;

/** Hears a run's progress: the progress bar, the metrics file and tests listen through this. */
public interface TrainingListener {

    /**
     * The run goes on after step {@code step} (0 for a new run), with {@code epochsCompleted} epochs whose
     * end (mean loss, evaluations, pictures, checkpoint) was reported in full: anything reported earlier of
     * later steps and epochs belongs to an attempt that was killed, and is reported again. Called before
     * {@link #onStart}.
     */
    default void onStartingAt(long step, int epochsCompleted) {
    }

    /** Before the first step, with a one-line description of the run. */
    default void onStart(String description, long totalSteps) {
    }

    default void onStep(StepMetrics metrics) {
    }

    default void onEpochEnd(int epoch, double meanLoss) {
    }

    /** An evaluation after an epoch, e.g. ("test_top1", 0.87) in fine-tuning. */
    default void onEvaluation(int epoch, String metric, double value) {
    }

    default void onCheckpoint(Path checkpoint) {
    }

    default void onPicture(Path picture) {
    }

    default void onFinish(RunSummary summary) {
    }
}
