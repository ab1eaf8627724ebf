package dev.mim4j.models.backbone;

import dev.mim4j.dsl.Mim4jException;

/**
 * MAE's fixed 2-D sin-cos position table: the first half of the channels encodes a token's column,
 * the second half its row, each half as {@code [sin(pos * omega), cos(pos * omega)]} with
 * {@code omega_k = 1 / 10000^(k / (width / 4))}; an optional all-zero first row for the cls token.
 */
public final class SinCos2d {

    private SinCos2d() {
    }

    /**
     * The table, row-major {@code [prefix + gridHeight * gridWidth, width]}, computed in double
     * precision as the reference does and rounded to float at the end.
     *
     * @param width a multiple of 4
     */
    public static float[] table(int gridHeight, int gridWidth, int width, int prefixTokens) {
        if (width % 4 != 0) {
            throw new Mim4jException("width", "sin-cos position width " + width + " is not a multiple of 4");
        }
        int quarter = width / 4;
        float[] out = new float[(prefixTokens + gridHeight * gridWidth) * width];
        for (int row = 0; row < gridHeight; row++) {
            for (int col = 0; col < gridWidth; col++) {
                int base = (prefixTokens + row * gridWidth + col) * width;
                encode(col, quarter, out, base);
                encode(row, quarter, out, base + width / 2);
            }
        }
        return out;
    }

    private static void encode(int position, int quarter, float[] out, int offset) {
        for (int k = 0; k < quarter; k++) {
            double omega = 1.0 / Math.pow(10000.0, (double) k / quarter);
            double angle = position * omega;
            out[offset + k] = (float) Math.sin(angle);
            out[offset + quarter + k] = (float) Math.cos(angle);
        }
    }
}
