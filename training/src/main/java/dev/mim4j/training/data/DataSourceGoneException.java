package dev.mim4j.training.data;

import java.io.IOException;

/**
 * The place a dataset reads from is gone (its folder moved or deleted during a run): no later image can be
 * read either, so a loader stops at once, whatever its {@link BadImagePolicy}, instead of skipping every image
 * that follows.
 */
public final class DataSourceGoneException extends IOException {

    private static final long serialVersionUID = 1L;

    public DataSourceGoneException(String message) {
        super(message);
    }
}
