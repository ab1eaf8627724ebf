package dev.mim4j.training.data;

/**
 * Mixing of seeds with counters (epoch, index), so that every random stream of the pipeline
 * depends only on its own coordinates and never on which thread asks, or when.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * A well-spread 64-bit value determined by {@code seed} and {@code parts} in order; nearby
     * inputs give unrelated outputs, as the seeds of independent streams must.
     */
    public static long mix(long seed, long... parts) {
        long h = scramble(seed);
        for (long part : parts) {
            h = scramble(h ^ scramble(part + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, the mixer of {@link java.util.SplittableRandom}. */
    private static long scramble(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
