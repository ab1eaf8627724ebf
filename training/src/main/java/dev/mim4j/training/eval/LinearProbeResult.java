package dev.mim4j.training.eval;

import java.util.List;

/**
 * The outcome of a {@link LinearProbe}: the trained head's accuracy on the test features.
 *
 * @param top1 fraction of test images whose class scored highest
 * @param top5 fraction whose class is among the min(5, classes) highest scores
 * @param learningRate the peak learning rate used, {@code base * batch / 256}
 * @param batchSize images per step, the configured batch or the train size if smaller
 * @param count test images
 * @param history one entry per epoch, in order
 */
public record LinearProbeResult(double top1, double top5, double learningRate, int batchSize, int count,
        List<EpochAccuracy> history) {

    public LinearProbeResult {
        history = List.copyOf(history);
    }
}
