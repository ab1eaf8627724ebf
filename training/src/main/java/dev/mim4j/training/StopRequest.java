package dev.mim4j.training;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks a running run to stop gracefully: from any thread (a signal handler, a user interface, a scheduler's
 * notice), {@link #request} makes the training loop finish the step under way, write a checkpoint of it
 * (unless the newest checkpoint already holds it), release the run folder and throw a
 * {@link RunStoppedException} that names the checkpoint to resume from. Steps are whole: an accumulation
 * window in progress is finished first.
 */
public final class StopRequest {

    private final AtomicReference<String> reason = new AtomicReference<>();

    /**
     * Asks the run to stop after its current step, for {@code why} ("SIGTERM", say), which the run's
     * {@link RunStoppedException} repeats; only the first request counts.
     *
     * @return whether this was the first request
     */
    public boolean request(String why) {
        Objects.requireNonNull(why, "why");
        return reason.compareAndSet(null, why);
    }

    /** Whether a stop has been asked for. */
    public boolean requested() {
        return reason.get() != null;
    }

    /** Why the run was asked to stop, once it has been. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }
}
