package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.check;

/**
 * The size of an image as the model sees it: channels, then height and width, the order of the
 * pixels in a {@link FloatImage} and in a batch of the training module's loader.
 */
public record ImageSize(int channels, int height, int width) {

    public ImageSize {
        atLeastOne("image channels", channels);
        atLeastOne("image height", height);
        atLeastOne("image width", width);
        check((long) channels * height * width <= Integer.MAX_VALUE,
                "image %dx%dx%d holds more than 2^31 - 1 values", height, width, channels);
    }

    /** Number of float values of one image, {@code channels * height * width}. */
    public int values() {
        return channels * height * width;
    }

    /** Height x width x channels, the way image sizes are usually written: "28x28x1". */
    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
