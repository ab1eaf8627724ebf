package dev.mim4j.training.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AvgDistTest {

    @Test
    void aSingleMaskedPatchIsOnAverageOneAndAQuarterPixelsFromTheVisibleOnes() {
        // 5x5 tokens of 4x4 pixels, the centre token masked: its 12 border pixels are 1 pixel from
        // a visible one, its 4 inner pixels 2 pixels
        float[] tokens = new float[25];
        tokens[12] = 1;

        double avgDist = AvgDist.ofTokenMask(tokens, 5, 5, 4);

        assertThat(avgDist).isEqualTo(1.25);
        assertThat(avgDist).isCloseTo(bruteForce(upsample(tokens, 5, 5, 4), 20, 20), within(1e-12));
    }

    @Test
    void aCheckerboardOfOnePixelTokensIsExactlyOne() {
        float[] tokens = new float[7 * 6];
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 6; x++) {
                tokens[y * 6 + x] = (x + y) % 2;
            }
        }

        assertThat(AvgDist.ofTokenMask(tokens, 7, 6, 1)).isEqualTo(1.0);
    }

    @Test
    void distancesAreEuclideanBetweenPixelCentres() {
        // one row, only the first pixel visible: distances 1, 2, 3, 4
        assertThat(AvgDist.of(new boolean[] {false, true, true, true, true}, 1, 5)).isEqualTo(2.5);
        // 3x3, only the top-left pixel visible: 1, 2, 1, sqrt 2, sqrt 5, 2, sqrt 5, sqrt 8
        boolean[] corner = {false, true, true, true, true, true, true, true, true};
        double expected = (1 + 2 + 1 + Math.sqrt(2) + Math.sqrt(5) + 2 + Math.sqrt(5) + Math.sqrt(8)) / 8;
        assertThat(AvgDist.of(corner, 3, 3)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void randomMasksMatchABruteForceSearch() {
        SplittableRandom random = new SplittableRandom(7);
        int[][] grids = {{3, 5}, {6, 6}, {8, 3}, {1, 9}, {5, 1}};
        for (int[] grid : grids) {
            for (int patch = 1; patch <= 3; patch++) {
                for (double ratio : new double[] {0.1, 0.5, 0.9}) {
                    float[] tokens = randomMask(random, grid[0] * grid[1], ratio);
                    int height = grid[0] * patch;
                    int width = grid[1] * patch;

                    double expected = bruteForce(upsample(tokens, grid[0], grid[1], patch), height, width);

                    assertThat(AvgDist.ofTokenMask(tokens, grid[0], grid[1], patch))
                            .as("%dx%d tokens of %d pixels at ratio %s", grid[0], grid[1], patch, ratio)
                            .isCloseTo(expected, within(1e-12));
                }
            }
        }
    }

    @Test
    void randomPixelMasksWithFewVisiblePixelsMatchABruteForceSearch() {
        // few sources far apart exercise the lower envelope more than dense ones do
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 50; trial++) {
            int height = 1 + random.nextInt(24);
            int width = 1 + random.nextInt(24);
            boolean[] masked = new boolean[height * width];
            for (int i = 0; i < masked.length; i++) {
                masked[i] = random.nextDouble() < 0.97;
            }
            masked[random.nextInt(masked.length)] = false;

            assertThat(AvgDist.of(masked, height, width)).as("trial %d, %dx%d", trial, height, width)
                    .isCloseTo(bruteForce(masked, height, width), within(1e-12));
        }
    }

    @Test
    void aMaskWithNothingMaskedHasNoDistance() {
        assertThat(AvgDist.ofTokenMask(new float[6], 2, 3, 4)).isZero();
    }

    @Test
    void aMaskWithNothingVisibleIsRejected() {
        assertThatThrownBy(() -> AvgDist.ofTokenMask(new float[] {1, 1, 1, 1}, 2, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AvgDist needs at least one visible pixel, but all 16 pixels of the 4x4 mask are masked");
    }

    @Test
    void malformedMasksAreRejectedWithTheirNumbers() {
        assertThatThrownBy(() -> AvgDist.of(new boolean[10], 3, 4))
                .hasMessage("mask holds 10 pixels but 3x4 needs 12");
        assertThatThrownBy(() -> AvgDist.of(new boolean[0], 0, 4))
                .hasMessage("mask size 0x4 must be at least 1x1");
        assertThatThrownBy(() -> AvgDist.ofTokenMask(new float[5], 2, 3, 4))
                .hasMessage("token mask holds 5 tokens but a 2x3 grid needs 6");
        assertThatThrownBy(() -> AvgDist.ofTokenMask(new float[] {0, 0.5f, 1, 0}, 2, 2, 4))
                .hasMessage("token mask value 0.5 at token 1 must be 0 (visible) or 1 (masked)");
        assertThatThrownBy(() -> AvgDist.ofTokenMask(new float[4], 2, 2, 0))
                .hasMessage("patch size 0 must be at least 1");
    }

    @Test
    void theAverageOverSamplesHasAMeanAndAStandardDeviation() {
        // alternately one masked 2x2 token (every masked pixel 1 from a visible one) and no masked token
        float[] oneMasked = {0, 0, 0, 0, 1, 0, 0, 0, 0};
        float[] noneMasked = new float[9];
        MaskSource source = new Alternating(3, 3, 2, oneMasked, noneMasked);

        AvgDist.Result result = AvgDist.average(source, 4);

        assertThat(result.samples()).isEqualTo(4);
        assertThat(result.mean()).isCloseTo(0.5, within(1e-12));
        assertThat(result.std()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aSingleSampleHasNoSpread() {
        float[] oneMasked = {1, 0, 0, 0};
        AvgDist.Result result = AvgDist.average(new Alternating(2, 2, 3, oneMasked), 1);

        assertThat(result.mean()).isEqualTo(AvgDist.ofTokenMask(oneMasked, 2, 2, 3));
        assertThat(result.std()).isZero();
    }

    @Test
    void theAverageNeedsSamplesAndMasksOfTheSourcesGrid() {
        assertThatThrownBy(() -> AvgDist.average(new Alternating(2, 2, 1, new float[4]), 0))
                .hasMessage("samples 0 must be at least 1");
        assertThatThrownBy(() -> AvgDist.average(new Alternating(2, 2, 1, new float[9]), 1))
                .hasMessage("token mask holds 9 tokens but a 2x2 grid needs 4");
    }

    /** Cycles through fixed masks. */
    private static final class Alternating implements MaskSource {

        private final int gridHeight;
        private final int gridWidth;
        private final int patchSize;
        private final float[][] masks;
        private int next;

        Alternating(int gridHeight, int gridWidth, int patchSize, float[]... masks) {
            this.gridHeight = gridHeight;
            this.gridWidth = gridWidth;
            this.patchSize = patchSize;
            this.masks = masks;
        }

        @Override
        public float[] next() {
            return masks[next++ % masks.length].clone();
        }

        @Override
        public int gridHeight() {
            return gridHeight;
        }

        @Override
        public int gridWidth() {
            return gridWidth;
        }

        @Override
        public int patchSize() {
            return patchSize;
        }
    }

    /** A mask with about {@code ratio} of its tokens masked and at least one visible. */
    private static float[] randomMask(SplittableRandom random, int tokens, double ratio) {
        float[] mask = new float[tokens];
        for (int i = 0; i < tokens; i++) {
            mask[i] = random.nextDouble() < ratio ? 1 : 0;
        }
        mask[random.nextInt(tokens)] = 0;
        return mask;
    }

    private static boolean[] upsample(float[] tokens, int gridHeight, int gridWidth, int patch) {
        int width = gridWidth * patch;
        boolean[] pixels = new boolean[gridHeight * patch * width];
        for (int y = 0; y < gridHeight * patch; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = tokens[(y / patch) * gridWidth + x / patch] == 1;
            }
        }
        return pixels;
    }

    /** AvgDist by comparing every masked pixel with every visible one. */
    private static double bruteForce(boolean[] masked, int height, int width) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < masked.length; i++) {
            if (!masked[i]) {
                continue;
            }
            double nearest = Double.POSITIVE_INFINITY;
            for (int j = 0; j < masked.length; j++) {
                if (!masked[j]) {
                    nearest = Math.min(nearest, Math.hypot(i / width - j / width, i % width - j % width));
                }
            }
            sum += nearest;
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }
}
