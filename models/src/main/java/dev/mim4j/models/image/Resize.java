package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.given;

import java.util.SplittableRandom;

/**
 * Resizes the whole image to {@code height} x {@code width}, whatever its aspect ratio; an image
 * that already has that size is returned as is.
 */
public record Resize(int height, int width, Interpolation interpolation) implements ImageTransform {

    public Resize {
        atLeastOne("resize height", height);
        atLeastOne("resize width", width);
        given("interpolation", interpolation);
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        return Resampler.resize(image, height, width, interpolation);
    }
}
