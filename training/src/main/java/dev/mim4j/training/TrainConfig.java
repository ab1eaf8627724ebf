package dev.mim4j.training;

import java.util.Locale;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.SpecJson;

/**
 * The hyperparameters of a training run: a plain value, saved as JSON in every checkpoint. What the
 * machine does (device, threads, loader workers) is in {@link MachineSettings} instead, so that a run
 * resumed on another machine changes those and keeps these. Defaults are MAE's (AdamW betas 0.9/0.95, weight decay 0.05, base learning rate
 * 1.5e-4 per 256 images, half-cosine after a linear warm-up).
 *
 * @param epochs passes over the data
 * @param batchSize images per optimiser step and device (before accumulation)
 * @param accumulation micro-batches summed into one optimiser step
 * @param baseLearningRate learning rate per {@code learningRateBatch} images
 * @param learningRateBatch the batch the base rate is quoted for (256 for MAE, 512 for SimMIM)
 * @param minLearningRate floor of the cosine (absolute)
 * @param warmupEpochs linear warm-up length, in (fractional) epochs
 * @param weightDecay AdamW decoupled decay on weight matrices
 * @param decayTokens whether tokens, position tables and the relative bias table are decayed too
 *                    (MAE: yes; SimMIM: no)
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param epsilon AdamW epsilon
 * @param clipGradNorm maximum global gradient norm, 0 for none
 * @param bf16 bf16 autocast for forward and loss (always on CUDA when set; optional on CPU)
 * @param seed the one seed every random choice derives from (data order, augmentation, masks, drop path)
 * @param nonFiniteLoss what a NaN or infinite loss does
 * @param checkpointEverySteps steps between checkpoints, 0 for the end of each epoch only
 * @param keepCheckpoints how many checkpoints to keep
 * @param picturesEveryEpochs epochs between reconstruction pictures, 0 for none
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        int accumulation,
        double baseLearningRate,
        int learningRateBatch,
        double minLearningRate,
        double warmupEpochs,
        double weightDecay,
        boolean decayTokens,
        double beta1,
        double beta2,
        double epsilon,
        double clipGradNorm,
        boolean bf16,
        long seed,
        NonFiniteLossPolicy nonFiniteLoss,
        int checkpointEverySteps,
        int keepCheckpoints,
        int picturesEveryEpochs) {

    static {
        // Schema 2 moved the machine's settings out, into MachineSettings.
        SpecJson.registerMigration(TrainConfig.class, 1, MachineSettings::removeFrom);
    }

    public TrainConfig {
        positive("epochs", epochs);
        positive("batch size", batchSize);
        positive("accumulation", accumulation);
        positive("learning rate batch", learningRateBatch);
        finiteAtLeast("base learning rate", baseLearningRate, 0);
        if ((long) batchSize * accumulation > Integer.MAX_VALUE) {
            throw new Mim4jException("accumulation", "batch size " + batchSize + " x accumulation " + accumulation
                    + " is more images a step than " + Integer.MAX_VALUE);
        }
        double peak = baseLearningRate * batchSize * accumulation / learningRateBatch;
        if (peak > Float.MAX_VALUE) {
            // the optimiser holds its rate in a float: libtorch would fail at the first step with a C++ trace
            throw new Mim4jException("base learning rate", "base learning rate " + baseLearningRate + " gives a"
                    + " peak rate of " + peak + " for " + batchSize * accumulation + " images a step, more than"
                    + " the optimiser's float holds (3.4e38); give a rate such as 1.5e-4 per 256 images");
        }
        finiteAtLeast("min learning rate", minLearningRate, 0);
        finiteAtLeast("warm-up epochs", warmupEpochs, 0);
        if (warmupEpochs > epochs) {
            throw new Mim4jException("warm-up epochs", "warm-up epochs " + warmupEpochs + " exceed the " + epochs
                    + " epochs");
        }
        finiteAtLeast("weight decay", weightDecay, 0);
        unit("beta1", beta1);
        unit("beta2", beta2);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new Mim4jException("epsilon", "epsilon " + epsilon + " must be positive");
        }
        finiteAtLeast("gradient clipping norm", clipGradNorm, 0);
        if (nonFiniteLoss == null) {
            throw new Mim4jException("non-finite loss policy", "non-finite loss policy must be given");
        }
        finiteAtLeast("checkpoint interval", checkpointEverySteps, 0);
        positive("checkpoints kept", keepCheckpoints);
        finiteAtLeast("picture interval", picturesEveryEpochs, 0);
    }

    /** MAE's optimiser settings with the given run length and batch. */
    public static TrainConfig mae(int epochs, int batchSize) {
        return new TrainConfig(epochs, batchSize, 1, 1.5e-4, 256, 0.0, Math.min(40, epochs / 10.0), 0.05, true,
                0.9, 0.95, 1e-8, 0.0, false, 0, NonFiniteLossPolicy.STOP, 0, 3, 1);
    }

    /** SimMIM's optimiser settings (betas 0.9/0.999, base rate 2e-4 per 512 images, tokens not decayed). */
    public static TrainConfig simmim(int epochs, int batchSize) {
        return new TrainConfig(epochs, batchSize, 1, 2e-4, 512, 1e-5 * batchSize / 512.0,
                Math.min(10, epochs / 10.0), 0.05, false, 0.9, 0.999, 1e-8, 5.0, false, 0,
                NonFiniteLossPolicy.STOP, 0, 3, 1);
    }

    /** The peak learning rate in one process: base rate x effective batch / the rate's batch. */
    public double peakLearningRate() {
        return peakLearningRate(1);
    }

    /**
     * The peak learning rate of a data-parallel run of {@code processes}: base rate x global batch / the rate's
     * batch, the official rule (lr = base x global batch / 256 for MAE).
     */
    public double peakLearningRate(int processes) {
        return baseLearningRate * globalBatch(processes) / learningRateBatch;
    }

    /** Images per optimiser step in one process. */
    public int effectiveBatch() {
        return batchSize * accumulation;
    }

    /** Images per optimiser step over a world of {@code processes}, each with its batch of the config's size. */
    public long globalBatch(int processes) {
        if (processes < 1) {
            throw new Mim4jException("processes", "a run has at least 1 process, not " + processes);
        }
        return (long) effectiveBatch() * processes;
    }

    /** One line for logs. */
    public String describe() {
        return describe(1);
    }

    /** One line for the logs of a run of {@code processes}, with its global batch and the rate that follows it. */
    public String describe(int processes) {
        String batch = processes == 1 ? String.format(Locale.ROOT, "batch %d x %d", batchSize, accumulation)
                : String.format(Locale.ROOT, "batch %d x %d x %d processes = %d", batchSize, accumulation, processes,
                        globalBatch(processes));
        return String.format(Locale.ROOT, "%d epochs, %s, lr %.3g (base %.3g per %d), warm-up %.3g epochs,"
                + " wd %.3g, betas %.3g/%.4g, seed %d%s", epochs, batch, peakLearningRate(processes),
                baseLearningRate, learningRateBatch, warmupEpochs, weightDecay, beta1, beta2, seed, bf16 ? ", bf16" : "");
    }

    /** A copy with other values; the record's canonical constructor checks them again. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void positive(String field, long value) {
        if (value < 1) {
            throw new Mim4jException(field, field + " " + value + " must be at least 1");
        }
    }

    private static void finiteAtLeast(String field, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new Mim4jException(field, field + " " + value + " must be a finite number >= " + min);
        }
    }

    private static void unit(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new Mim4jException(field, field + " " + value + " must be in [0, 1)");
        }
    }

    /** Changes a few fields of a config. */
    public static final class Builder {
        private int epochs;
        private int batchSize;
        private int accumulation;
        private double baseLearningRate;
        private int learningRateBatch;
        private double minLearningRate;
        private double warmupEpochs;
        private double weightDecay;
        private boolean decayTokens;
        private double beta1;
        private double beta2;
        private double epsilon;
        private double clipGradNorm;
        private boolean bf16;
        private long seed;
        private NonFiniteLossPolicy nonFiniteLoss;
        private int checkpointEverySteps;
        private int keepCheckpoints;
        private int picturesEveryEpochs;

        private Builder(TrainConfig c) {
            epochs = c.epochs;
            batchSize = c.batchSize;
            accumulation = c.accumulation;
            baseLearningRate = c.baseLearningRate;
            learningRateBatch = c.learningRateBatch;
            minLearningRate = c.minLearningRate;
            warmupEpochs = c.warmupEpochs;
            weightDecay = c.weightDecay;
            decayTokens = c.decayTokens;
            beta1 = c.beta1;
            beta2 = c.beta2;
            epsilon = c.epsilon;
            clipGradNorm = c.clipGradNorm;
            bf16 = c.bf16;
            seed = c.seed;
            nonFiniteLoss = c.nonFiniteLoss;
            checkpointEverySteps = c.checkpointEverySteps;
            keepCheckpoints = c.keepCheckpoints;
            picturesEveryEpochs = c.picturesEveryEpochs;
        }

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder accumulation(int v) { accumulation = v; return this; }
        public Builder baseLearningRate(double v) { baseLearningRate = v; return this; }
        public Builder learningRateBatch(int v) { learningRateBatch = v; return this; }
        public Builder minLearningRate(double v) { minLearningRate = v; return this; }
        public Builder warmupEpochs(double v) { warmupEpochs = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder decayTokens(boolean v) { decayTokens = v; return this; }
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        public Builder epsilon(double v) { epsilon = v; return this; }
        public Builder clipGradNorm(double v) { clipGradNorm = v; return this; }
        public Builder bf16(boolean v) { bf16 = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder nonFiniteLoss(NonFiniteLossPolicy v) { nonFiniteLoss = v; return this; }
        public Builder checkpointEverySteps(int v) { checkpointEverySteps = v; return this; }
        public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
        public Builder picturesEveryEpochs(int v) { picturesEveryEpochs = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(epochs, batchSize, accumulation, baseLearningRate, learningRateBatch,
                    minLearningRate, warmupEpochs, weightDecay, decayTokens, beta1, beta2, epsilon, clipGradNorm,
                    bf16, seed, nonFiniteLoss, checkpointEverySteps,
                    keepCheckpoints, picturesEveryEpochs);
        }
    }
}
