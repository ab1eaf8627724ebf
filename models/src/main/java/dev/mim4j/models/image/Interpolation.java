package dev.mim4j.models.image;

/**
 * How a resize computes a pixel between the source's pixels. Both are resampled the way PIL does
 * it (which torchvision uses on PIL images): separable, and widened when shrinking, so that a
 * downscale averages over every source pixel it covers instead of aliasing.
 */
public enum Interpolation {
    /** The triangle filter over 2 x 2 pixels (more when shrinking). */
    BILINEAR(1) {
        @Override
        double weight(double x) {
            double distance = Math.abs(x);
            return distance < 1 ? 1 - distance : 0;
        }
    },
    /**
     * Keys' cubic convolution over 4 x 4 pixels (more when shrinking) with {@code a = -0.5}, PIL's
     * choice; torchvision's tensor resize uses {@code a = -0.75}, a slightly sharper kernel.
     */
    BICUBIC(2) {
        @Override
        double weight(double x) {
            double a = -0.5;
            double distance = Math.abs(x);
            if (distance < 1) {
                return ((a + 2) * distance - (a + 3)) * distance * distance + 1;
            }
            if (distance < 2) {
                return ((a * distance - 5 * a) * distance + 8 * a) * distance - 4 * a;
            }
            return 0;
        }
    };

    private final int support;

    Interpolation(int support) {
        this.support = support;
    }

    /** Half-width of the kernel in source pixels at scale 1. */
    int support() {
        return support;
    }

    /** The kernel's weight at distance {@code x}, in source pixels at scale 1. */
    abstract double weight(double x);
}
