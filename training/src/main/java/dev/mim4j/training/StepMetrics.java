package dev.mim4j.training;

/**
 * What one optimiser step reports, as written to the metrics file.
 *
 * @param step optimiser steps done, counting this one
 * @param totalSteps optimiser steps the run will take
 * @param epoch the epoch this step belongs to (0-based)
 * @param loss the mean loss of the step's micro-batches
 * @param learningRate the rate the step used
 * @param gradientNorm the global L2 norm of the gradients before clipping
 * @param imagesPerSecond images of this step over its wall time
 * @param loaderWaitSeconds of that wall time, how long the step waited for its batches (its part of the loader's
 *        work that the decoding threads had not done ahead)
 * @param reduceSeconds of that wall time, how long the step spent on the world after its backward pass (the
 *        gradients' all-reduce that the backward pass did not hide, and the ranks' agreement): 0 in one process
 * @param residentBytes the process's resident memory after the step
 * @param skippedSteps steps skipped so far for a non-finite loss
 */
public record StepMetrics(long step, long totalSteps, int epoch, double loss, double learningRate,
        double gradientNorm, double imagesPerSecond, double loaderWaitSeconds, double reduceSeconds,
        long residentBytes, long skippedSteps) {
}
