package dev.mim4j.training;

/**
 * Where a run stands, besides its tensors: the optimiser steps done, the next micro-batch to train
 * on (its epoch and place in the epoch follow, since the data order depends only on the seed and the
 * epoch), the position in the epoch's order of the next image (which differs from batch x size once
 * unreadable images were skipped), the steps skipped for a non-finite loss, and the optimiser's own
 * step count. Every random choice of a step is derived from the seed and the step's position, so
 * this is the whole random state too.
 *
 * @param nextMicroBatch the next micro-batch; -1 for the start of an epoch whose micro-batches are
 *     not known yet ({@link #epochStart}, how fine-tuning checkpoints of schema 1 recorded it)
 * @param epochPosition the place of the next image in its epoch's order; with a {@code nextMicroBatch}
 *     of -1, the epoch to start
 * @param epochLossSum the sum of the step losses of the epoch in progress so far, so that a resumed
 *     epoch's mean covers exactly its steps (0 at an epoch's start, and in checkpoints written before it
 *     was recorded)
 * @param epochSteps the steps of the epoch in progress so far, counted in {@code epochLossSum}
 */
public record TrainingPosition(long step, long nextMicroBatch, int epochPosition, long skippedSteps,
        long optimizerSteps, double epochLossSum, long epochSteps) {

    /** A position at an epoch's start, or one written before the epoch's losses were recorded. */
    public TrainingPosition(long step, long nextMicroBatch, int epochPosition, long skippedSteps,
            long optimizerSteps) {
        this(step, nextMicroBatch, epochPosition, skippedSteps, optimizerSteps, 0, 0);
    }

    /** A new run's. */
    public static TrainingPosition start() {
        return new TrainingPosition(0, 0, 0, 0, 0);
    }

    /** The start of epoch {@code epoch}, after {@code step} steps. */
    public static TrainingPosition epochStart(int epoch, long step) {
        return new TrainingPosition(step, -1, epoch, 0, step);
    }

    /**
     * This position with {@code image} as the place of the next image in its epoch (one rank's, in a run of
     * several); an epoch's start written as {@link #epochStart} has none and stays as it is.
     */
    public TrainingPosition withImagePosition(int image) {
        return nextMicroBatch < 0 ? this : new TrainingPosition(step, nextMicroBatch, image, skippedSteps,
                optimizerSteps, epochLossSum, epochSteps);
    }

    /** Epochs whose end (checkpoint, evaluation, pictures) lies before this position. */
    public int epochsCompleted(int batchesPerEpoch) {
        return (int) (nextMicroBatch(batchesPerEpoch) / batchesPerEpoch);
    }

    /** The micro-batch to go on from, for epochs of {@code batchesPerEpoch} micro-batches. */
    long nextMicroBatch(int batchesPerEpoch) {
        return nextMicroBatch >= 0 ? nextMicroBatch : (long) epochPosition * batchesPerEpoch;
    }

    /** The image position to go on from within its epoch. */
    int imagePosition() {
        return nextMicroBatch >= 0 ? epochPosition : 0;
    }
}
