package dev.mim4j.training.finetune;

import java.util.SplittableRandom;

import dev.mim4j.dsl.Mim4jException;

/**
 * Mixup and CutMix on a batch of images held as Java arrays, with the label-smoothed soft targets
 * they imply. Each batch is mixed with itself reversed, as timm's {@code Mixup} does in batch mode;
 * per batch, CutMix is chosen with probability {@code switchProbability} when both are on.
 *
 * @param mixupAlpha Beta(alpha, alpha) of mixup's weight; 0 turns mixup off
 * @param cutmixAlpha Beta(alpha, alpha) of CutMix's area; 0 turns CutMix off
 * @param labelSmoothing mass spread evenly over all classes
 */
public record Mixup(double mixupAlpha, double cutmixAlpha, double switchProbability, double labelSmoothing) {

    public Mixup {
        if (mixupAlpha < 0 || cutmixAlpha < 0 || !(switchProbability >= 0 && switchProbability <= 1)
                || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new Mim4jException("mixup", "mixup alpha " + mixupAlpha + ", cutmix alpha " + cutmixAlpha
                    + ", switch probability " + switchProbability + ", label smoothing " + labelSmoothing
                    + ": alphas must be >= 0, the probability in [0, 1] and the smoothing in [0, 1)");
        }
    }

    /** MAE's fine-tuning: mixup 0.8, CutMix 1.0, switch 0.5, smoothing 0.1. */
    public static Mixup mae() {
        return new Mixup(0.8, 1.0, 0.5, 0.1);
    }

    /** Only label smoothing. */
    public static Mixup none(double labelSmoothing) {
        return new Mixup(0, 0, 0, labelSmoothing);
    }

    /**
     * Mixes {@code pixels} ({@code [n][c][h][w]}) in place and returns the soft targets {@code [n][classes]}.
     */
    public float[] apply(float[] pixels, int[] labels, int count, int channels, int height, int width, int classes,
            SplittableRandom random) {
        double lambda = 1.0;
        boolean cutmix = false;
        if (mixupAlpha > 0 || cutmixAlpha > 0) {
            cutmix = cutmixAlpha > 0 && (mixupAlpha == 0 || random.nextDouble() < switchProbability);
            lambda = Beta.sample(cutmix ? cutmixAlpha : mixupAlpha, random);
        }
        int plane = height * width;
        int image = channels * plane;
        if (lambda < 1.0) {
            float[] original = pixels.clone();
            if (cutmix) {
                double cut = Math.sqrt(1 - lambda);
                int boxH = (int) (height * cut);
                int boxW = (int) (width * cut);
                int cy = random.nextInt(height);
                int cx = random.nextInt(width);
                int y0 = Math.max(0, cy - boxH / 2);
                int y1 = Math.min(height, cy + boxH / 2);
                int x0 = Math.max(0, cx - boxW / 2);
                int x1 = Math.min(width, cx + boxW / 2);
                for (int n = 0; n < count; n++) {
                    int source = count - 1 - n;
                    for (int c = 0; c < channels; c++) {
                        for (int y = y0; y < y1; y++) {
                            System.arraycopy(original, source * image + c * plane + y * width + x0,
                                    pixels, n * image + c * plane + y * width + x0, x1 - x0);
                        }
                    }
                }
                lambda = 1.0 - (double) (y1 - y0) * (x1 - x0) / plane;
            } else {
                for (int n = 0; n < count; n++) {
                    int source = count - 1 - n;
                    for (int i = 0; i < image; i++) {
                        pixels[n * image + i] = (float) (lambda * original[n * image + i]
                                + (1 - lambda) * original[source * image + i]);
                    }
                }
            }
        }
        float off = (float) (labelSmoothing / classes);
        float on = (float) (1.0 - labelSmoothing) + off;
        float[] targets = new float[count * classes];
        for (int n = 0; n < count; n++) {
            int own = labels[n];
            int other = labels[count - 1 - n];
            for (int k = 0; k < classes; k++) {
                float a = k == own ? on : off;
                float b = k == other ? on : off;
                targets[n * classes + k] = (float) (lambda * a + (1 - lambda) * b);
            }
        }
        return targets;
    }

    /** Beta(a, a) from two Gamma draws (Marsaglia and Tsang). */
    static final class Beta {

        private Beta() {
        }

        static double sample(double alpha, SplittableRandom random) {
            double x = gamma(alpha, random);
            double y = gamma(alpha, random);
            return x / (x + y);
        }

        static double gamma(double shape, SplittableRandom random) {
            if (shape < 1) {
                return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1.0 / shape);
            }
            double d = shape - 1.0 / 3;
            double c = 1 / Math.sqrt(9 * d);
            while (true) {
                double x = normal(random);
                double v = Math.pow(1 + c * x, 3);
                if (v <= 0) {
                    continue;
                }
                double u = random.nextDouble();
                if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                    return d * v;
                }
            }
        }

        private static double normal(SplittableRandom random) {
            double u1 = 1 - random.nextDouble();
            double u2 = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }
}
