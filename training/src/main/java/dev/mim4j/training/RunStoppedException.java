package dev.mim4j.training;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A run stopped because a {@link StopRequest} asked it to: it finished its step, wrote a checkpoint of it and
 * released its folder; the checkpoint resumes it exactly where it stopped.
 */
public final class RunStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final long step;
    private final transient Path checkpoint;

    RunStoppedException(String reason, long step, long totalSteps, Path checkpoint) {
        super("stopped by " + reason + " after step " + step + " of " + totalSteps + "; "
                + (checkpoint == null ? "no step had been trained, so there was nothing to save"
                        : checkpoint + " holds the run up to there"));
        this.reason = reason;
        this.step = step;
        this.checkpoint = checkpoint;
    }

    /** What the stop request gave as its reason ("SIGTERM", say). */
    public String reason() {
        return reason;
    }

    /** The last step trained. */
    public long step() {
        return step;
    }

    /** The checkpoint that holds the run up to {@link #step()}; empty when no step had been trained. */
    public Optional<Path> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }
}
