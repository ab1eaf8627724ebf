package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.util.SplittableRandom;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Interpolation;
import dev.mim4j.models.image.Resampler;

/**
 * A random box of the image, resized to {@code height} x {@code width}: torchvision's
 * {@code RandomResizedCrop}. Up to 10 boxes are drawn, with an area fraction uniform in
 * [{@code minScale}, {@code maxScale}] and an aspect ratio (width / height) log-uniform in
 * [{@code minRatio}, {@code maxRatio}], and the first that fits is taken; if none fits, the
 * central box of the largest area within the ratio range.
 *
 * @param height output height
 * @param width output width
 * @param minScale smallest area of the box as a fraction of the image's; MAE uses 0.2
 * @param maxScale largest area fraction, at most 1
 * @param minRatio smallest width / height of the box; 3/4 by default
 * @param maxRatio largest width / height of the box; 4/3 by default
 * @param interpolation how the box is resampled
 */
public record RandomResizedCrop(
        int height,
        int width,
        double minScale,
        double maxScale,
        double minRatio,
        double maxRatio,
        Interpolation interpolation) implements ImageTransform {

    private static final int ATTEMPTS = 10;

    public RandomResizedCrop {
        atLeastOne("crop height", height);
        atLeastOne("crop width", width);
        check(minScale > 0 && minScale <= maxScale && maxScale <= 1,
                "crop scale range [%s, %s] must satisfy 0 < min <= max <= 1", minScale, maxScale);
        check(minRatio > 0 && minRatio <= maxRatio && Double.isFinite(maxRatio),
                "crop ratio range [%s, %s] must satisfy 0 < min <= max", minRatio, maxRatio);
        given("interpolation", interpolation);
    }

    /** MAE's pre-training crop: scale [0.2, 1], ratio [3/4, 4/3], bicubic. */
    public static RandomResizedCrop mae(int height, int width) {
        return new RandomResizedCrop(height, width, 0.2, 1.0, 3.0 / 4, 4.0 / 3, Interpolation.BICUBIC);
    }

    /**
     * SimMIM's pre-training crop: scale [0.67, 1], ratio [3/4, 4/3], bilinear (torchvision's
     * default, which SimMIM keeps). Milder than MAE's: at least two thirds of the image is seen.
     */
    public static RandomResizedCrop simmim(int height, int width) {
        return new RandomResizedCrop(height, width, 0.67, 1.0, 3.0 / 4, 4.0 / 3, Interpolation.BILINEAR);
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        int[] box = box(image.height(), image.width(), random);
        return Resampler.resize(image, box[0], box[1], box[2], box[3], height, width, interpolation);
    }

    /**
     * The box {@code {top, left, height, width}} for an image of {@code imageHeight} x
     * {@code imageWidth}, as torchvision's {@code get_params} (Python's half-to-even rounding too).
     */
    int[] box(int imageHeight, int imageWidth, SplittableRandom random) {
        double area = (double) imageHeight * imageWidth;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * uniform(random, minScale, maxScale);
            double ratio = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * ratio));
            int h = (int) Math.rint(Math.sqrt(targetArea / ratio));
            if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
                int top = random.nextInt(imageHeight - h + 1);
                int left = random.nextInt(imageWidth - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double imageRatio = (double) imageWidth / imageHeight;
        int w = imageWidth;
        int h = imageHeight;
        if (imageRatio < minRatio) {
            h = Math.max(1, (int) Math.rint(w / minRatio));
        } else if (imageRatio > maxRatio) {
            w = Math.max(1, (int) Math.rint(h * maxRatio));
        }
        return new int[] {(imageHeight - h) / 2, (imageWidth - w) / 2, h, w};
    }

    private static double uniform(SplittableRandom random, double from, double to) {
        return from == to ? from : random.nextDouble(from, to);
    }
}
