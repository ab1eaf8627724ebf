package dev.mim4j.training;

import dev.mim4j.dsl.Mim4jException;

/**
 * MAE's schedule, set per iteration: a linear warm-up from 0 to the peak rate, then a half-cosine
 * from the peak down to the minimum at the end of the last epoch.
 */
public record LearningRateSchedule(double peak, double minimum, double warmupEpochs, int epochs) {

    public LearningRateSchedule {
        if (!(peak >= 0) || !(minimum >= 0) || minimum > peak || warmupEpochs < 0 || warmupEpochs > epochs || epochs < 1) {
            throw new Mim4jException("learning rate schedule", "learning rate schedule: peak " + peak + ", minimum "
                    + minimum + ", warm-up " + warmupEpochs + " of " + epochs + " epochs is not a valid schedule");
        }
    }

    public static LearningRateSchedule of(TrainConfig config) {
        return of(config, 1);
    }

    /** The schedule of a data-parallel run of {@code processes}, whose peak follows its global batch. */
    public static LearningRateSchedule of(TrainConfig config, int processes) {
        double peak = config.peakLearningRate(processes);
        return new LearningRateSchedule(peak, Math.min(config.minLearningRate(), peak), config.warmupEpochs(),
                config.epochs());
    }

    /** The rate at a fractional epoch ({@code epoch + batch / batchesPerEpoch}). */
    public double at(double epoch) {
        if (epoch < warmupEpochs) {
            return peak * epoch / warmupEpochs;
        }
        if (warmupEpochs == epochs) {
            return peak;
        }
        double progress = (epoch - warmupEpochs) / (epochs - warmupEpochs);
        return minimum + (peak - minimum) * 0.5 * (1.0 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }
}
