package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.check;

import java.io.IOException;
import java.util.Locale;

/**
 * The largest image file a reader accepts, in bytes and in pixels. The pixel count is checked from
 * the file's header before anything is decoded, so a decompression bomb (a few kilobytes that claim
 * 25,000 x 25,000 pixels) is refused without allocating its raster.
 *
 * @param maxPixels the most pixels (width x height) an image may have
 * @param maxFileBytes the most bytes an image file may have
 */
public record DecodeLimits(long maxPixels, long maxFileBytes) {

    /**
     * Room for every ImageNet image: PIL's decompression-bomb threshold (89,478,485 pixels, about
     * 9,459 x 9,459) and 64 MiB, several times ImageNet's largest file.
     */
    public static final DecodeLimits DEFAULT = new DecodeLimits(89_478_485L, 64L << 20);

    public DecodeLimits {
        check(maxPixels >= 1, "maximum pixels %d must be at least 1", maxPixels);
        check(maxFileBytes >= 1, "maximum file bytes %d must be at least 1", maxFileBytes);
    }

    /** This limit with {@code pixels} as the most pixels. */
    public DecodeLimits withMaxPixels(long pixels) {
        return new DecodeLimits(pixels, maxFileBytes);
    }

    /** This limit with {@code bytes} as the largest file. */
    public DecodeLimits withMaxFileBytes(long bytes) {
        return new DecodeLimits(maxPixels, bytes);
    }

    /**
     * Refuses a file of {@code bytes} bytes past the limit.
     *
     * @throws IOException saying so, for the caller to prefix with the file's name
     */
    public void checkFileBytes(long bytes) throws IOException {
        if (bytes > maxFileBytes) {
            throw new IOException(String.format(Locale.ROOT, "the file has %,d bytes, more than the limit of %,d",
                    bytes, maxFileBytes));
        }
    }
}
