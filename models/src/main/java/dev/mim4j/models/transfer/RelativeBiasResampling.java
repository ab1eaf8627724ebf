package dev.mim4j.models.transfer;

import dev.mim4j.dsl.Mim4jException;

/**
 * Resizes a relative position bias table to another window, as SimMIM's and BEiT's
 * {@code load_pretrained} do: the source offsets are spread on a geometric progression whose half
 * reaches the target's half-size, each head's table is fitted with a bicubic interpolating spline
 * over them, and read at the target's integer offsets.
 */
public final class RelativeBiasResampling {

    private RelativeBiasResampling() {
    }

    /**
     * @param table {@code [source^2, heads]} row-major, {@code source = 2 window - 1}
     * @return {@code [target^2, heads]} row-major
     */
    public static float[] resize(float[] table, int source, int target, int heads) {
        if (table.length != source * source * heads) {
            throw new Mim4jException("bias table", "a bias table of " + source + "x" + source + " offsets and " + heads
                    + " heads holds " + source * source * heads + " values, not " + table.length);
        }
        if (source == target) {
            return table.clone();
        }
        if (source < 5) {
            throw new Mim4jException("bias table", "a bias table of " + source + "x" + source + " offsets (window "
                    + (source + 1) / 2 + ") is too small for a bicubic spline to resize, as in SimMIM's"
                    + " load_pretrained; pre-train with a window of 3 or more");
        }
        double[] from = sourceOffsets(source, target);
        double half = target / 2;
        double[] to = new double[target];
        for (int i = 0; i < target; i++) {
            to[i] = -half + i;
        }
        float[] resized = new float[target * target * heads];
        for (int head = 0; head < heads; head++) {
            // along the columns (x) for every source row, then along the rows (y) for every target column
            double[][] rows = new double[source][target];
            for (int row = 0; row < source; row++) {
                double[] values = new double[source];
                for (int column = 0; column < source; column++) {
                    values[column] = table[(row * source + column) * heads + head];
                }
                CubicSpline spline = new CubicSpline(from, values);
                for (int column = 0; column < target; column++) {
                    rows[row][column] = spline.at(to[column]);
                }
            }
            for (int column = 0; column < target; column++) {
                double[] values = new double[source];
                for (int row = 0; row < source; row++) {
                    values[row] = rows[row][column];
                }
                CubicSpline spline = new CubicSpline(from, values);
                for (int row = 0; row < target; row++) {
                    resized[(row * target + column) * heads + head] = (float) spline.at(to[row]);
                }
            }
        }
        return resized;
    }

    /** The official positions of the source offsets: a geometric progression on each side of 0. */
    static double[] sourceOffsets(int source, int target) {
        double left = 1.01;
        double right = 1.5;
        double q = left;
        while (right - left > 1e-6) {
            q = (left + right) / 2.0;
            double progression = (1.0 - Math.pow(q, source / 2)) / (1.0 - q);
            if (progression > target / 2) {
                right = q;
            } else {
                left = q;
            }
        }
        double[] distances = new double[source / 2];
        double current = 1;
        for (int i = 0; i < source / 2; i++) {
            distances[i] = current;
            current += Math.pow(q, i + 1);
        }
        double[] offsets = new double[source];
        for (int i = 0; i < source / 2; i++) {
            offsets[i] = -distances[source / 2 - 1 - i];
            offsets[source / 2 + 1 + i] = distances[i];
        }
        return offsets;
    }
}
