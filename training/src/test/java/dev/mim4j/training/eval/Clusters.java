package dev.mim4j.training.eval;

import java.util.SplittableRandom;

import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.inference.Pooling;

/** Labelled Gaussian clusters as features, for tests whose answer is known. */
final class Clusters {

    private Clusters() {
    }

    /**
     * {@code perClass} points of each of {@code classes} classes in {@code width} dimensions: class
     * {@code c} is centred at {@code separation} along axis {@code c}, each coordinate with standard
     * deviation {@code noise}; rows alternate between the classes.
     */
    static Features gaussian(int classes, int perClass, int width, double separation, double noise, long seed) {
        Natives.threads(1);
        SplittableRandom random = new SplittableRandom(seed);
        int n = classes * perClass;
        float[] values = new float[n * width];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int d = 0; d < width; d++) {
                double centre = d == labels[i] ? separation : 0;
                values[i * width + d] = (float) (centre + noise * random.nextGaussian());
            }
        }
        return new Features(Tensors.floats(values, n, width), labels, Pooling.CLS);
    }

    /** {@code n} points of standard normal noise with labels drawn uniformly from {@code classes}. */
    static Features noise(int classes, int n, int width, long seed) {
        Natives.threads(1);
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n * width];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
            for (int d = 0; d < width; d++) {
                values[i * width + d] = (float) random.nextGaussian();
            }
        }
        return new Features(Tensors.floats(values, n, width), labels, Pooling.CLS);
    }

    /** Features given row by row. */
    static Features of(float[][] rows, int... labels) {
        Natives.threads(1);
        int width = rows[0].length;
        float[] values = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, values, i * width, width);
        }
        return new Features(Tensors.floats(values, rows.length, width), labels, Pooling.CLS);
    }
}
