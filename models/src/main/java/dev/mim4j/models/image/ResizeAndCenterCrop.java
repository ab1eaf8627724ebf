package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.util.SplittableRandom;

/**
 * The evaluation view: resize so that the shorter side is {@code resizeShorter} (keeping the
 * aspect ratio), then take the central {@code height} x {@code width}, as torchvision's
 * {@code Resize(resizeShorter)} followed by {@code CenterCrop}.
 *
 * <p>An image that already is {@code height} x {@code width} is returned as it is: the margin
 * that resizing up and cropping cuts away is meant for photos larger than the model's input, not
 * for images made to measure, such as 28x28 digits for a 28x28 model.
 */
public record ResizeAndCenterCrop(int resizeShorter, int height, int width, Interpolation interpolation)
        implements ImageTransform {

    public ResizeAndCenterCrop {
        atLeastOne("resize shorter side", resizeShorter);
        atLeastOne("crop height", height);
        atLeastOne("crop width", width);
        check(resizeShorter >= Math.max(height, width),
                "resize shorter side %d is smaller than the %dx%d crop; it must be at least %d",
                resizeShorter, height, width, Math.max(height, width));
        given("interpolation", interpolation);
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        if (image.height() == height && image.width() == width) {
            return image;
        }
        int resizedHeight;
        int resizedWidth;
        if (image.height() <= image.width()) {
            resizedHeight = resizeShorter;
            resizedWidth = (int) ((long) resizeShorter * image.width() / image.height());
        } else {
            resizedWidth = resizeShorter;
            resizedHeight = (int) ((long) resizeShorter * image.height() / image.width());
        }
        FloatImage resized = Resampler.resize(image, resizedHeight, resizedWidth, interpolation);
        int top = (int) Math.rint((resizedHeight - height) / 2.0);
        int left = (int) Math.rint((resizedWidth - width) / 2.0);
        return Resampler.crop(resized, top, left, height, width);
    }
}
