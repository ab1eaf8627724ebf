package dev.mim4j.training.eval;

import dev.mim4j.dsl.Mim4jException;

/**
 * The settings of a {@link LinearProbe}.
 *
 * @param epochs passes over the train features, at least 1
 * @param batchSize images per step, at least 2 (BatchNorm needs two); the train size if that is smaller
 * @param baseLearningRate the rate per 256 images: the peak rate is {@code base * batch / 256}
 * @param warmupEpochs linear warm-up, in (fractional) epochs, before the half-cosine decay to 0
 * @param weightDecay LARS weight decay of the Linear's weight
 * @param seed the head's initialisation and each epoch's shuffle
 */
public record LinearProbeConfig(int epochs, int batchSize, double baseLearningRate, double warmupEpochs,
        double weightDecay, long seed) {

    /** MAE's images per base learning rate. */
    public static final int LEARNING_RATE_BATCH = 256;

    public LinearProbeConfig {
        if (epochs < 1) {
            throw new Mim4jException("linear probe epochs", "linear probe epochs " + epochs + " must be at least 1");
        }
        if (batchSize < 2) {
            throw new Mim4jException("linear probe batch size", "linear probe batch size " + batchSize
                    + " must be at least 2, as the head's BatchNorm needs two images");
        }
        if (!(baseLearningRate > 0) || Double.isInfinite(baseLearningRate)) {
            throw new Mim4jException("linear probe base learning rate", "linear probe base learning rate "
                    + baseLearningRate + " must be positive and finite");
        }
        if (!(warmupEpochs >= 0 && warmupEpochs <= epochs)) {
            throw new Mim4jException("linear probe warm-up", "linear probe warm-up " + warmupEpochs
                    + " epochs must be in [0, " + epochs + "], the run's epochs");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new Mim4jException("linear probe weight decay", "linear probe weight decay " + weightDecay
                    + " must be at least 0 and finite");
        }
    }

    /**
     * MAE's linear-probe settings for a run of {@code epochs}: batch 256, base rate 0.1, no weight
     * decay, and MAE's 10 warm-up epochs of 90, shortened in proportion for shorter runs.
     *
     * <p>MAE's rate suits ImageNet, some 7,000 steps at a rate of 6.4 (batch 16,384). LARS moves a
     * matrix by about {@code lr / 1000} of its norm a step, so a small dataset wants a larger base
     * rate: on the demo's 8,000 images, 90 epochs at a base rate of 10 reach 77% top-1 where 0.1 reaches
     * 53% (measured for a briefly pre-trained demo encoder).
     */
    public static LinearProbeConfig mae(int epochs) {
        return new LinearProbeConfig(epochs, 256, 0.1, Math.min(10, epochs / 9.0), 0.0, 0);
    }

    /** The peak learning rate for batches of {@code batch} images. */
    public double learningRate(int batch) {
        return baseLearningRate * batch / LEARNING_RATE_BATCH;
    }
}
