package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.check;

import java.util.SplittableRandom;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageTransform;

/**
 * Mirrors the image left to right with the given probability, and otherwise returns it as is.
 *
 * @param probability chance of a flip, in [0, 1]; MAE uses 0.5
 */
public record HorizontalFlip(double probability) implements ImageTransform {

    public HorizontalFlip {
        check(probability >= 0 && probability <= 1, "flip probability %s must be in [0, 1]", probability);
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        // Always draw, so that the random stream after a flip does not depend on its outcome.
        if (random.nextDouble() >= probability) {
            return image;
        }
        int width = image.width();
        float[] source = image.pixels();
        float[] mirrored = new float[source.length];
        for (int row = 0; row < image.channels() * image.height(); row++) {
            int start = row * width;
            for (int x = 0; x < width; x++) {
                mirrored[start + x] = source[start + width - 1 - x];
            }
        }
        return new FloatImage(image.size(), mirrored);
    }
}
