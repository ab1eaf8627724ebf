package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Standardises each channel, {@code (value - mean[c]) / std[c]}, usually the last transform. */
public final class Normalize implements ImageTransform {

    /** ImageNet's statistics, which the official MAE and SimMIM weights were trained with. */
    public static final Normalize IMAGENET = new Normalize(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private static final System.Logger LOG = System.getLogger(Normalize.class.getName());

    private final float[] mean;
    private final float[] std;

    /** Per-channel {@code mean} and {@code std}, of equal length; every std must be positive. */
    public Normalize(float[] mean, float[] std) {
        given("normalize mean", mean);
        given("normalize std", std);
        atLeastOne("normalize channels", mean.length);
        check(mean.length == std.length,
                "normalize has %d means but %d stds; give one of each per channel", mean.length, std.length);
        for (int c = 0; c < std.length; c++) {
            check(Float.isFinite(mean[c]), "normalize mean %s of channel %d must be a finite number", mean[c], c);
            check(std[c] > 0 && Float.isFinite(std[c]),
                    "normalize std %s of channel %d must be positive and finite", std[c], c);
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Number of channels this normalises; images must have as many. */
    public int channels() {
        return mean.length;
    }

    /** The per-channel means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The per-channel standard deviations (a copy). */
    public float[] std() {
        return std.clone();
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        check(image.channels() == mean.length,
                "normalize has statistics for %s but the image has %d",
                DataChecks.count(mean.length, "channel"), image.channels());
        int plane = image.height() * image.width();
        float[] values = image.pixels();
        float[] normalized = new float[values.length];
        for (int c = 0; c < mean.length; c++) {
            float shift = mean[c];
            float scale = 1 / std[c];
            for (int p = c * plane; p < (c + 1) * plane; p++) {
                normalized[p] = (values[p] - shift) * scale;
            }
        }
        return new FloatImage(image.size(), normalized);
    }

    @Override
    public String toString() {
        return "Normalize(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
