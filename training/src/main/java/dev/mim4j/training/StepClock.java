package dev.mim4j.training;

/**
 * A step's wall time and, within it, how long it waited for its batches: the two figures a step reports, kept
 * together so that every place that starts a step's time again clears both.
 */
final class StepClock {

    /** One step's seconds, and the part of them spent waiting for the loader. */
    record Lap(double seconds, double waitedSeconds) {
    }

    private long started = System.nanoTime();
    private long waited;

    /** Starts the next step's time now: after a skipped step, or an epoch's end, which no step's rate counts. */
    void restart() {
        started = System.nanoTime();
        waited = 0;
    }

    /** Counts the time since {@code since} ({@link System#nanoTime()}) as waiting for the loader. */
    void waitedSince(long since) {
        waited += System.nanoTime() - since;
    }

    /** Ends the step under way, returning its times, and starts the next one's. */
    Lap lap() {
        long now = System.nanoTime();
        Lap lap = new Lap((now - started) / 1e9, waited / 1e9);
        started = now;
        waited = 0;
        return lap;
    }
}
