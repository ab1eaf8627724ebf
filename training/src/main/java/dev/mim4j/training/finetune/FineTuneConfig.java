package dev.mim4j.training.finetune;

import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.training.MachineSettings;
import dev.mim4j.training.NonFiniteLossPolicy;
import dev.mim4j.training.TrainConfig;

/**
 * The hyperparameters of a fine-tuning run, saved as JSON in its checkpoints; the machine's settings
 * are in {@link MachineSettings}. Defaults ({@link #mae}) are MAE's for ViT-B: AdamW (0.9/0.999) with
 * base rate 5e-4 per 256 images, weight decay 0.05, layer decay 0.65 (0.75 suits smaller models),
 * drop path 0.1, mixup 0.8, CutMix 1.0, label smoothing 0.1, 5 warm-up epochs then half-cosine to 1e-6.
 */
public record FineTuneConfig(int epochs, int batchSize, double baseLearningRate, double minLearningRate,
        double warmupEpochs, double weightDecay, double layerDecay, double dropPath, Mixup mixup,
        ClassifierPooling pooling, long seed, int keepCheckpoints) {

    static {
        // Schema 2 moved the machine's settings (threads, loader workers) out, into MachineSettings.
        SpecJson.registerMigration(FineTuneConfig.class, 1, MachineSettings::removeFrom);
    }

    public FineTuneConfig {
        if (epochs < 1 || batchSize < 1 || keepCheckpoints < 1) {
            throw new Mim4jException("epochs", "epochs " + epochs + ", batch " + batchSize + ", kept checkpoints "
                    + keepCheckpoints + " must all be at least 1");
        }
        if (!(baseLearningRate >= 0) || !(minLearningRate >= 0) || !(warmupEpochs >= 0) || warmupEpochs > epochs
                || !(weightDecay >= 0) || !(dropPath >= 0 && dropPath < 1)) {
            throw new Mim4jException("learning rate", "learning rate " + baseLearningRate + ", minimum "
                    + minLearningRate + ", warm-up " + warmupEpochs + " of " + epochs + " epochs, weight decay " + weightDecay
                    + ", drop path " + dropPath + ": rates and decay must be >= 0, warm-up within the run,"
                    + " drop path in [0, 1)");
        }
        Objects.requireNonNull(mixup, "mixup");
        Objects.requireNonNull(pooling, "pooling");
        LayerDecay.check(layerDecay);
    }

    public static FineTuneConfig mae(int epochs, int batchSize) {
        return new FineTuneConfig(epochs, batchSize, 5e-4, 1e-6, Math.min(5, epochs / 10.0), 0.05, 0.65, 0.1,
                Mixup.mae(), ClassifierPooling.MEAN, 0, 2);
    }

    /** The peak rate: base x batch / 256. */
    public double peakLearningRate() {
        return baseLearningRate * batchSize / 256.0;
    }

    /**
     * What the training loop runs: these settings with MAE's fine-tuning optimiser (AdamW 0.9/0.999,
     * epsilon 1e-8, tokens and position tables not decayed, no clipping), checkpoints at epoch ends.
     */
    public TrainConfig loop() {
        return new TrainConfig(epochs, batchSize, 1, baseLearningRate, 256, minLearningRate, warmupEpochs,
                weightDecay, false, 0.9, 0.999, 1e-8, 0.0, false, seed, NonFiniteLossPolicy.STOP, 0,
                keepCheckpoints, 0);
    }
}
