package dev.mim4j.training;

import java.nio.file.Path;

/**
 * The outcome of a run: steps, wall time, throughput (images per second of training, without the time
 * of evaluations during the run), the loss of the first and the last epoch, and the files it left (the
 * last checkpoint; null if none was written).
 */
public record RunSummary(long steps, double seconds, double imagesPerSecond, double firstEpochLoss,
        double lastEpochLoss, long skippedSteps, long skippedImages, Path lastCheckpoint, Path outputDirectory) {
}
