package dev.mim4j.training.eval;

/**
 * How a linear probe stands after one epoch.
 *
 * @param epoch the epoch just finished, from 0
 * @param trainLoss mean cross-entropy of the epoch's training batches
 * @param testTop1 top-1 accuracy on the test features at the end of the epoch
 */
public record EpochAccuracy(int epoch, double trainLoss, double testTop1) {
}
