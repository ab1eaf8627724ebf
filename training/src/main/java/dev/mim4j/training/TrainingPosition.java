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
 */
public record TrainingPosition(long step, long nextMicroBatch, int epochPosition, long skippedSteps,
        long optimizerSteps) {

    /** A new run's. */
    public static TrainingPosition start() {
        return new TrainingPosition(0, 0, 0, 0, 0);
    }

    /** The start of epoch {@code epoch}, after {@code step} steps. */
    public static TrainingPosition epochStart(int epoch, long step) {
        return new TrainingPosition(step, -1, epoch, 0, step);
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
