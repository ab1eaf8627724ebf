package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Resize;
import dev.mim4j.models.image.Interpolation;

class ResizeTest {

    private static final SplittableRandom UNUSED = new SplittableRandom(0);

    @ParameterizedTest
    @CsvSource({"BILINEAR, 31, 10", "BICUBIC, 31, 10", "BILINEAR, 5, 47", "BICUBIC, 40, 3"})
    void aConstantImageStaysConstant(Interpolation interpolation, int height, int width) {
        float[] pixels = new float[3 * 17 * 23];
        Arrays.fill(pixels, 0.37f);

        FloatImage resized = new Resize(height, width, interpolation)
                .apply(new FloatImage(3, 17, 23, pixels), UNUSED);

        assertThat(resized.size()).isEqualTo(new ImageSize(3, height, width));
        for (float value : resized.pixels()) {
            assertThat(value).isCloseTo(0.37f, within(1e-6f));
        }
    }

    /**
     * Both kernels reproduce a linear function exactly wherever they do not reach the border:
     * upscaling by any factor, and downscaling by 2, where the widened kernel sits symmetrically.
     */
    @ParameterizedTest(name = "{0} {1}x{2} to {3}x{4}")
    @CsvSource({
        "BILINEAR, 20, 24, 47, 55",
        "BICUBIC, 20, 24, 47, 55",
        "BILINEAR, 40, 48, 20, 24",
        "BICUBIC, 40, 48, 20, 24"
    })
    void aLinearRampIsExactInTheInterior(Interpolation interpolation, int inHeight, int inWidth, int height,
            int width) {
        FloatImage ramp = ramp(inHeight, inWidth);

        FloatImage resized = new Resize(height, width, interpolation).apply(ramp, UNUSED);

        double scaleY = (double) inHeight / height;
        double scaleX = (double) inWidth / width;
        int checked = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // the output pixel's centre in source pixel coordinates
                double sy = (y + 0.5) * scaleY - 0.5;
                double sx = (x + 0.5) * scaleX - 0.5;
                if (interior(sy, scaleY, inHeight) && interior(sx, scaleX, inWidth)) {
                    assertThat(resized.get(0, y, x)).isCloseTo((float) rampValue(sy, sx), within(1e-5f));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(height * width / 4);
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void theSameSizeIsTheSameImage(Interpolation interpolation) {
        FloatImage image = ramp(6, 9);

        assertThat(new Resize(6, 9, interpolation).apply(image, UNUSED)).isSameAs(image);
    }

    private static boolean interior(double at, double scale, int size) {
        double reach = 2 * Math.max(scale, 1) + 1;
        return at - reach >= 0 && at + reach <= size - 1;
    }

    private static FloatImage ramp(int height, int width) {
        float[] pixels = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = (float) rampValue(y, x);
            }
        }
        return new FloatImage(1, height, width, pixels);
    }

    private static double rampValue(double y, double x) {
        return 0.1 + 0.015 * y + 0.01 * x;
    }
}
