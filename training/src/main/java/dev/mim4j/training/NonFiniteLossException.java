package dev.mim4j.training;

import java.nio.file.Path;

/** A run stopped because its loss became NaN or infinite; the last good checkpoint is left as it was. */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;

    private NonFiniteLossException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The loss of step {@code step} was {@code loss}, and the policy is to stop. */
    public NonFiniteLossException(long step, int epoch, float loss, Path lastCheckpoint) {
        this("loss is " + loss + " at step " + step + " (epoch " + (epoch + 1) + "); the run stopped. "
                + lastGood(lastCheckpoint)
                + " Lower the learning rate, enable gradient clipping, or drop such steps"
                + " (NonFiniteLossPolicy.SKIP).", step);
    }

    /** The policy skips such steps, but the last {@code consecutive} steps up to {@code step} all were. */
    static NonFiniteLossException gaveUp(long step, int epoch, int consecutive, Path lastCheckpoint) {
        return new NonFiniteLossException("the loss was NaN or infinite in " + consecutive + " steps in a row, up to"
                + " step " + step + " (epoch " + (epoch + 1) + "): skipping them would not recover, so the run stopped. "
                + lastGood(lastCheckpoint) + " Lower the learning rate or enable gradient clipping, check the data,"
                + " or allow more such steps in a row (a larger non-finite patience).", step);
    }

    private static String lastGood(Path lastCheckpoint) {
        return lastCheckpoint == null ? "No checkpoint had been written yet."
                : "The last good checkpoint is " + lastCheckpoint + ".";
    }

    public long step() {
        return step;
    }
}
