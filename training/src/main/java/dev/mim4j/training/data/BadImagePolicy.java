package dev.mim4j.training.data;

/** What reading does with an image file that cannot be decoded. */
public enum BadImagePolicy {
    /**
     * Leave the image out, count it, and log a warning that names the file and the reason; the
     * right choice for large scraped collections, where a few broken files are normal.
     */
    SKIP_AND_COUNT,
    /** Stop with an {@link java.io.IOException} that names the file and the reason. */
    FAIL
}
