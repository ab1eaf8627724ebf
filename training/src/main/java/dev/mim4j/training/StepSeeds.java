package dev.mim4j.training;

import dev.mim4j.training.data.Seeds;

/**
 * Derives independent seeds from the run's seed and a position, so that each random choice
 * (a step's masks, its drop path) depends on where it happens and on nothing else: a resumed run
 * makes the same choices as an uninterrupted one.
 */
public final class StepSeeds {

    /** Streams of randomness, so that two uses at the same position differ. */
    public enum Stream {
        MASKS, DROP_PATH, PICTURES
    }

    private StepSeeds() {
    }

    public static long derive(long seed, Stream stream, long position) {
        // the offset keeps these streams apart from the data pipeline's (epoch, index) streams
        return Seeds.mix(seed, 1_000_000L + stream.ordinal(), position);
    }
}
