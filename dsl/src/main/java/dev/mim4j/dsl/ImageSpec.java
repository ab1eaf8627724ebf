package dev.mim4j.dsl;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;

/**
 * The size of the input images; grayscale (one channel) and non-square images are normal cases,
 * not exceptions.
 */
public record ImageSpec(int height, int width, int channels) {

    public ImageSpec {
        atLeastOne("image height", height);
        atLeastOne("image width", width);
        atLeastOne("image channels", channels);
        long values = (long) height * width * channels;
        check(values <= MAX_VALUES, "an image of %d x %d pixels with %d channels holds %,d values, more than the"
                + " %,d a Java array of them can hold", height, width, channels, values, MAX_VALUES);
    }

    /** The most values an image may hold: the longest Java array. */
    public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    /** Images of {@code height} x {@code width} pixels with {@code channels} channels. */
    public static ImageSpec of(int height, int width, int channels) {
        return new ImageSpec(height, width, channels);
    }

    /** Square images of {@code size} x {@code size} pixels with {@code channels} channels. */
    public static ImageSpec square(int size, int channels) {
        return new ImageSpec(size, size, channels);
    }
}
