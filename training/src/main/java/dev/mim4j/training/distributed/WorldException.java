package dev.mim4j.training.distributed;

/** A collective or the rendezvous of a {@link World} failed: a rank died, hangs, or never came. */
public final class WorldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorldException(String message, Throwable cause) {
        super(message, cause);
    }
}
