package dev.mim4j.training;

import java.nio.file.Path;

/** A run stopped because its loss became NaN or infinite; the last good checkpoint is left as it was. */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;

    public NonFiniteLossException(long step, int epoch, float loss, Path lastCheckpoint) {
        super("loss is " + loss + " at step " + step + " (epoch " + (epoch + 1) + "); the run stopped. "
                + (lastCheckpoint == null ? "No checkpoint had been written yet."
                        : "The last good checkpoint is " + lastCheckpoint + ".")
                + " Lower the learning rate, enable gradient clipping, or pass --on-nan skip to drop such steps.");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
