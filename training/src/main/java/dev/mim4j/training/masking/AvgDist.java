package dev.mim4j.training.masking;

import java.util.Arrays;
import java.util.Locale;

import dev.mim4j.dsl.Mim4jException;

/**
 * SimMIM's AvgDist: the mean, over masked pixels, of the Euclidean distance in pixels from a masked
 * pixel to the nearest visible one. It measures how far a masked pixel is from the context that
 * could predict it; SimMIM relates it to the fine-tuning accuracy that a masking policy gives.
 */
public final class AvgDist {

    /**
     * AvgDist over many sampled masks.
     *
     * @param mean the mean of the masks' AvgDist
     * @param std the standard deviation of the masks' AvgDist, dividing by {@code samples} (numpy's
     *     default), so 0 for a single sample
     * @param samples how many masks were measured
     */
    public record Result(double mean, double std, int samples) {
    }

    private AvgDist() {
    }

    /**
     * The AvgDist of one pixel mask, exactly (distances between pixel centres).
     *
     * @param maskedPixels row-major, {@code true} where a pixel is masked
     * @return 0 if no pixel is masked
     * @throws IllegalArgumentException if the sizes do not match, or no pixel is visible (then no
     *     distance is defined)
     */
    public static double of(boolean[] maskedPixels, int height, int width) {
        check(height >= 1 && width >= 1, "mask size %dx%d must be at least 1x1", height, width);
        check(maskedPixels.length == (long) height * width,
                "mask holds %d pixels but %dx%d needs %d", maskedPixels.length, height, width,
                (long) height * width);
        boolean[] visible = new boolean[maskedPixels.length];
        int masked = 0;
        for (int i = 0; i < maskedPixels.length; i++) {
            visible[i] = !maskedPixels[i];
            masked += maskedPixels[i] ? 1 : 0;
        }
        check(masked < maskedPixels.length,
                "AvgDist needs at least one visible pixel, but all %d pixels of the %dx%d mask are masked",
                masked, height, width);
        if (masked == 0) {
            return 0;
        }
        long[] squared = SquaredDistanceTransform.of(visible, height, width);
        double sum = 0;
        for (int i = 0; i < maskedPixels.length; i++) {
            if (maskedPixels[i]) {
                sum += Math.sqrt(squared[i]);
            }
        }
        return sum / masked;
    }

    /**
     * The AvgDist of a token mask, each token upsampled to {@code patchSize x patchSize} pixels.
     *
     * @param tokenMask row-major over {@code gridHeight x gridWidth} tokens, 1 where a token is
     *     masked and 0 where it is visible
     */
    public static double ofTokenMask(float[] tokenMask, int gridHeight, int gridWidth, int patchSize) {
        check(gridHeight >= 1 && gridWidth >= 1, "token grid %dx%d must be at least 1x1", gridHeight, gridWidth);
        check(patchSize >= 1, "patch size %d must be at least 1", patchSize);
        check(tokenMask.length == (long) gridHeight * gridWidth,
                "token mask holds %d tokens but a %dx%d grid needs %d", tokenMask.length, gridHeight, gridWidth,
                (long) gridHeight * gridWidth);
        long pixels = (long) gridHeight * gridWidth * patchSize * patchSize;
        check(pixels <= Integer.MAX_VALUE, "a %dx%d grid of %dx%d patches has %d pixels, more than an array holds",
                gridHeight, gridWidth, patchSize, patchSize, pixels);
        int width = gridWidth * patchSize;
        boolean[] masked = new boolean[(int) pixels];
        for (int token = 0; token < tokenMask.length; token++) {
            float value = tokenMask[token];
            check(value == 0 || value == 1, "token mask value %s at token %d must be 0 (visible) or 1 (masked)",
                    value, token);
            if (value == 1) {
                int top = token / gridWidth * patchSize;
                int left = token % gridWidth * patchSize;
                for (int y = top; y < top + patchSize; y++) {
                    Arrays.fill(masked, y * width + left, y * width + left + patchSize, true);
                }
            }
        }
        return of(masked, gridHeight * patchSize, width);
    }

    /** The mean and standard deviation of AvgDist over {@code samples} masks drawn from {@code source}. */
    public static Result average(MaskSource source, int samples) {
        check(samples >= 1, "samples %d must be at least 1", samples);
        int gridHeight = source.gridHeight();
        int gridWidth = source.gridWidth();
        int patchSize = source.patchSize();
        // Welford's running mean and sum of squared deviations: stable for any number of samples.
        double mean = 0;
        double squaredDeviations = 0;
        for (int n = 1; n <= samples; n++) {
            double value = ofTokenMask(source.next(), gridHeight, gridWidth, patchSize);
            double delta = value - mean;
            mean += delta / n;
            squaredDeviations += delta * (value - mean);
        }
        return new Result(mean, Math.sqrt(squaredDeviations / samples), samples);
    }

    private static void check(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new Mim4jException("masking", String.format(Locale.ROOT, template, args));
        }
    }
}
