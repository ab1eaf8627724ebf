package dev.mim4j.models.transfer;

import dev.mim4j.dsl.Mim4jException;

/**
 * A cubic interpolating spline through points {@code (x_i, y_i)} with not-a-knot ends, as FITPACK's
 * interpolating splines ({@code s = 0}) are; evaluated with arguments clamped to {@code [x_0, x_n]},
 * as FITPACK's evaluators do.
 */
final class CubicSpline {

    private final double[] x;
    private final double[] y;
    private final double[] second;

    /**
     * @param x at least 4 strictly increasing abscissae
     */
    CubicSpline(double[] x, double[] y) {
        if (x.length != y.length || x.length < 4) {
            throw new Mim4jException("abscissae", "a cubic spline needs as many values as abscissae, at least 4");
        }
        for (int i = 1; i < x.length; i++) {
            if (!(x[i] > x[i - 1])) {
                throw new Mim4jException("abscissae", "spline abscissae must increase, not " + x[i - 1] + " then "
                        + x[i]);
            }
        }
        this.x = x.clone();
        this.y = y.clone();
        this.second = secondDerivatives(this.x, this.y);
    }

    /** The spline's value at {@code at}, clamped to the abscissae's range. */
    double at(double at) {
        double t = Math.max(x[0], Math.min(x[x.length - 1], at));
        int i = 0;
        while (i < x.length - 2 && t > x[i + 1]) {
            i++;
        }
        double h = x[i + 1] - x[i];
        double a = (x[i + 1] - t) / h;
        double b = (t - x[i]) / h;
        return a * y[i] + b * y[i + 1] + ((a * a * a - a) * second[i] + (b * b * b - b) * second[i + 1]) * h * h / 6;
    }

    /**
     * The second derivatives at the abscissae: the continuity equations at interior points, with the
     * third derivative continuous across the second and the second-to-last points (not-a-knot).
     */
    private static double[] secondDerivatives(double[] x, double[] y) {
        int n = x.length;
        double[][] a = new double[n][n];
        double[] r = new double[n];
        for (int i = 1; i < n - 1; i++) {
            double h0 = x[i] - x[i - 1];
            double h1 = x[i + 1] - x[i];
            a[i][i - 1] = h0;
            a[i][i] = 2 * (h0 + h1);
            a[i][i + 1] = h1;
            r[i] = 6 * ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0);
        }
        double h0 = x[1] - x[0];
        double h1 = x[2] - x[1];
        a[0][0] = h1;
        a[0][1] = -(h0 + h1);
        a[0][2] = h0;
        double g0 = x[n - 2] - x[n - 3];
        double g1 = x[n - 1] - x[n - 2];
        a[n - 1][n - 3] = g1;
        a[n - 1][n - 2] = -(g0 + g1);
        a[n - 1][n - 1] = g0;
        return solve(a, r);
    }

    /** Gaussian elimination with partial pivoting: the systems are tiny (a bias table's side). */
    private static double[] solve(double[][] a, double[] r) {
        int n = r.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            double value = r[col];
            r[col] = r[pivot];
            r[pivot] = value;
            for (int row = col + 1; row < n; row++) {
                double factor = a[row][col] / a[col][col];
                for (int k = col; k < n; k++) {
                    a[row][k] -= factor * a[col][k];
                }
                r[row] -= factor * r[col];
            }
        }
        double[] solution = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double sum = r[row];
            for (int k = row + 1; k < n; k++) {
                sum -= a[row][k] * solution[k];
            }
            solution[row] = sum / a[row][row];
        }
        return solution;
    }
}
