package dev.mim4j.training.masking;

import java.util.Arrays;

/**
 * The exact squared Euclidean distance transform of Felzenszwalb and Huttenlocher ("Distance
 * Transforms of Sampled Functions", 2012): one pass down the columns, then one along the rows, each
 * taking the lower envelope of the parabolas rooted at the source pixels, in time linear in the
 * number of pixels.
 */
final class SquaredDistanceTransform {

    /** Marks a pixel with no source in its line; never a real squared distance. */
    static final long NO_SOURCE = Long.MAX_VALUE;

    private SquaredDistanceTransform() {
    }

    /**
     * For every pixel of a row-major {@code height x width} image, the squared distance from its
     * centre to the centre of the nearest pixel where {@code source} is true, or {@link #NO_SOURCE}
     * if there is no source at all.
     */
    static long[] of(boolean[] source, int height, int width) {
        long[] squared = new long[height * width];
        int longest = Math.max(height, width);
        long[] line = new long[longest];
        long[] transformed = new long[longest];
        int[] roots = new int[longest];
        double[] boundaries = new double[longest + 1];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                line[y] = source[y * width + x] ? 0 : NO_SOURCE;
            }
            transform(line, height, transformed, roots, boundaries);
            for (int y = 0; y < height; y++) {
                squared[y * width + x] = transformed[y];
            }
        }
        for (int y = 0; y < height; y++) {
            System.arraycopy(squared, y * width, line, 0, width);
            transform(line, width, transformed, roots, boundaries);
            System.arraycopy(transformed, 0, squared, y * width, width);
        }
        return squared;
    }

    /**
     * {@code d[q] = min over p of (q - p)^2 + f[p]} for {@code q < n}; points where {@code f} is
     * {@link #NO_SOURCE} are left out of the envelope rather than given a large finite value, so that
     * every result is an exact integer.
     */
    private static void transform(long[] f, int n, long[] d, int[] roots, double[] boundaries) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == NO_SOURCE) {
                continue;
            }
            if (k < 0) {
                k = 0;
                roots[0] = q;
                boundaries[0] = Double.NEGATIVE_INFINITY;
                boundaries[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            double s = intersection(f, roots[k], q);
            while (s <= boundaries[k]) {
                k--;
                s = intersection(f, roots[k], q);
            }
            k++;
            roots[k] = q;
            boundaries[k] = s;
            boundaries[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            Arrays.fill(d, 0, n, NO_SOURCE);
            return;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (boundaries[k + 1] < q) {
                k++;
            }
            long offset = q - roots[k];
            d[q] = offset * offset + f[roots[k]];
        }
    }

    /**
     * Where the parabolas rooted at {@code p < q} cross. A rounding error here can only move a
     * boundary across a point where both parabolas are equal, so it never changes a distance.
     */
    private static double intersection(long[] f, int p, int q) {
        long numerator = (f[q] + (long) q * q) - (f[p] + (long) p * p);
        return numerator / (2.0 * (q - p));
    }
}
