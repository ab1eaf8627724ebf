package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.check;

/**
 * Crops and resizes {@link FloatImage}s with PIL's separable resampling: output pixel {@code i}
 * is centred at {@code (i + 0.5) * scale} in the source, every source pixel under the (widened,
 * when shrinking) kernel contributes, and the weights are normalised, so a constant image stays
 * constant and taps never reach outside the crop.
 */
public final class Resampler {

    private Resampler() {}

    /**
     * The box of {@code cropHeight} x {@code cropWidth} pixels at ({@code top}, {@code left}) of
     * {@code image}, resized to {@code height} x {@code width}; {@code image} itself when the box
     * is the whole image and the size does not change.
     */
    public static FloatImage resize(FloatImage image, int top, int left, int cropHeight, int cropWidth,
            int height, int width, Interpolation interpolation) {
        checkBox(image, top, left, cropHeight, cropWidth);
        if (cropHeight == height && cropWidth == width) {
            return crop(image, top, left, height, width);
        }
        int channels = image.channels();
        float[] rows;
        if (cropWidth == width) {
            rows = crop(image, top, left, cropHeight, width).pixels();
        } else {
            rows = new float[channels * cropHeight * width];
            Taps taps = Taps.of(cropWidth, width, interpolation);
            float[] source = image.pixels();
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < cropHeight; y++) {
                    int from = (c * image.height() + top + y) * image.width() + left;
                    int to = (c * cropHeight + y) * width;
                    for (int x = 0; x < width; x++) {
                        int first = from + taps.first[x];
                        int weights = x * taps.stride;
                        float sum = 0;
                        for (int k = 0; k < taps.count[x]; k++) {
                            sum += taps.weights[weights + k] * source[first + k];
                        }
                        rows[to + x] = sum;
                    }
                }
            }
        }
        if (cropHeight == height) {
            return new FloatImage(channels, height, width, rows);
        }
        Taps taps = Taps.of(cropHeight, height, interpolation);
        float[] resized = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int to = (c * height + y) * width;
                for (int k = 0; k < taps.count[y]; k++) {
                    float weight = taps.weights[y * taps.stride + k];
                    int from = (c * cropHeight + taps.first[y] + k) * width;
                    for (int x = 0; x < width; x++) {
                        resized[to + x] += weight * rows[from + x];
                    }
                }
            }
        }
        return new FloatImage(channels, height, width, resized);
    }

    /** The whole of {@code image} resized to {@code height} x {@code width}. */
    public static FloatImage resize(FloatImage image, int height, int width, Interpolation interpolation) {
        return resize(image, 0, 0, image.height(), image.width(), height, width, interpolation);
    }

    /** The box of {@code height} x {@code width} pixels at ({@code top}, {@code left}), copied. */
    static FloatImage crop(FloatImage image, int top, int left, int height, int width) {
        checkBox(image, top, left, height, width);
        if (top == 0 && left == 0 && height == image.height() && width == image.width()) {
            return image;
        }
        int channels = image.channels();
        float[] source = image.pixels();
        float[] cropped = new float[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(source, (c * image.height() + top + y) * image.width() + left,
                        cropped, (c * height + y) * width, width);
            }
        }
        return new FloatImage(channels, height, width, cropped);
    }

    private static void checkBox(FloatImage image, int top, int left, int height, int width) {
        check(top >= 0 && left >= 0 && height >= 1 && width >= 1
                        && top + height <= image.height() && left + width <= image.width(),
                "crop of %dx%d at (y %d, x %d) does not fit in a %s image", height, width, top, left, image.size());
    }

    /**
     * For each output pixel along one axis, the first source pixel, the number of source pixels
     * and their normalised weights ({@code stride} per output pixel), as PIL's
     * {@code precompute_coeffs}.
     */
    private record Taps(int[] first, int[] count, float[] weights, int stride) {

        static Taps of(int in, int out, Interpolation interpolation) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1);
            double support = interpolation.support() * filterScale;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[out];
            int[] count = new int[out];
            float[] weights = new float[out * stride];
            double[] raw = new double[stride];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), in);
                double total = 0;
                for (int x = lo; x < hi; x++) {
                    raw[x - lo] = interpolation.weight((x - center + 0.5) / filterScale);
                    total += raw[x - lo];
                }
                for (int x = lo; x < hi; x++) {
                    weights[i * stride + x - lo] = (float) (total == 0 ? 0 : raw[x - lo] / total);
                }
                first[i] = lo;
                count[i] = hi - lo;
            }
            return new Taps(first, count, weights, stride);
        }
    }
}
