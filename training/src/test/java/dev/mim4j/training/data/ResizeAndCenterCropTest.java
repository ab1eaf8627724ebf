package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ResizeAndCenterCrop;
import dev.mim4j.models.image.Interpolation;

class ResizeAndCenterCropTest {

    private static final SplittableRandom UNUSED = new SplittableRandom(0);

    @Test
    void theCropIsTakenFromTheMiddle() {
        // 4x8, left half 0, right half 1; the shorter side is already 4, so only the crop acts
        float[] pixels = new float[4 * 8];
        for (int y = 0; y < 4; y++) {
            for (int x = 4; x < 8; x++) {
                pixels[y * 8 + x] = 1;
            }
        }

        FloatImage cropped = new ResizeAndCenterCrop(4, 4, 4, Interpolation.BICUBIC)
                .apply(new FloatImage(1, 4, 8, pixels), UNUSED);

        assertThat(cropped.pixels()).containsExactly(
                0, 0, 1, 1,
                0, 0, 1, 1,
                0, 0, 1, 1,
                0, 0, 1, 1);
    }

    @Test
    void theShorterSideIsResizedKeepingTheAspectRatio() {
        FloatImage portrait = SyntheticDataset.of(1, new ImageSize(3, 90, 60), 2).read(0);

        FloatImage cropped = new ResizeAndCenterCrop(32, 28, 28, Interpolation.BILINEAR).apply(portrait, UNUSED);

        assertThat(cropped.size()).isEqualTo(new ImageSize(3, 28, 28));
    }

    @Test
    void anImageAlreadyOfTheOutputSizeIsLeftAlone() {
        FloatImage digit = SyntheticDataset.of(1, new ImageSize(1, 28, 28), 2).read(0);

        assertThat(new ResizeAndCenterCrop(32, 28, 28, Interpolation.BICUBIC).apply(digit, UNUSED)).isSameAs(digit);
    }

    @Test
    void theResizeMustCoverTheCrop() {
        assertThatThrownBy(() -> new ResizeAndCenterCrop(200, 224, 224, Interpolation.BICUBIC))
                .hasMessage("resize shorter side 200 is smaller than the 224x224 crop; it must be at least 224");
    }
}
