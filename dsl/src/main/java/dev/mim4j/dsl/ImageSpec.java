package dev.mim4j.dsl;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;

/**
 * The size of the input images; grayscale (one channel) and non-square images are normal cases,
 * not exceptions.
 */
public record ImageSpec(int height, int width, int channels) {

    public ImageSpec {
        atLeastOne("image height", height);
        atLeastOne("image width", width);
        atLeastOne("image channels", channels);
    }

    /** Images of {@code height} x {@code width} pixels with {@code channels} channels. */
    public static ImageSpec of(int height, int width, int channels) {
        return new ImageSpec(height, width, channels);
    }

    /** Square images of {@code size} x {@code size} pixels with {@code channels} channels. */
    public static ImageSpec square(int size, int channels) {
        return new ImageSpec(size, size, channels);
    }
}
