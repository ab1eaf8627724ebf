package dev.mim4j.models.swin;

/**
 * The fixed tables of Swin's window attention, computed in plain Java: the relative position index of
 * every pair of places in a window, and the mask that keeps a shifted window's attention inside each
 * region that the cyclic shift brought together.
 */
final class ShiftedWindows {

    /** The additive logit that Swin puts between two places of different regions. */
    static final float APART = -100f;

    private ShiftedWindows() {
    }

    /**
     * {@code [window^2, window^2]} row-major: for places {@code i} and {@code j} of a window,
     * {@code (dy + window - 1) * (2 window - 1) + (dx + window - 1)} with {@code (dy, dx) = i - j}.
     */
    static long[] relativeIndex(int window) {
        int n = window * window;
        long[] index = new long[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int dy = i / window - j / window + window - 1;
                int dx = i % window - j % window + window - 1;
                index[i * n + j] = (long) dy * (2 * window - 1) + dx;
            }
        }
        return index;
    }

    /**
     * {@code [windows, window^2, window^2]}, windows row-major over the shifted grid: 0 between two
     * places of the same region, {@link #APART} otherwise. The regions are those of the official code:
     * the grid cut at {@code -window} and {@code -shift} in each direction.
     */
    static float[] mask(int rows, int columns, int window, int shift) {
        int[][] region = new int[rows][columns];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                region[y][x] = band(y, rows, window, shift) * 3 + band(x, columns, window, shift);
            }
        }
        int windowsWide = columns / window;
        int count = (rows / window) * windowsWide;
        int n = window * window;
        float[] mask = new float[count * n * n];
        for (int w = 0; w < count; w++) {
            int top = (w / windowsWide) * window;
            int left = (w % windowsWide) * window;
            for (int i = 0; i < n; i++) {
                int a = region[top + i / window][left + i % window];
                for (int j = 0; j < n; j++) {
                    int b = region[top + j / window][left + j % window];
                    mask[(w * n + i) * n + j] = a == b ? 0f : APART;
                }
            }
        }
        return mask;
    }

    /** Which of the three bands along one side a coordinate falls in. */
    private static int band(int coordinate, int size, int window, int shift) {
        if (coordinate < size - window) {
            return 0;
        }
        return coordinate < size - shift ? 1 : 2;
    }
}
