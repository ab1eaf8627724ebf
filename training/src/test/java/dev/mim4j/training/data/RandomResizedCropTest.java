package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Interpolation;

class RandomResizedCropTest {

    @Test
    void boxesStayInsideTheImageWithinTheScaleAndRatioRanges() {
        RandomResizedCrop crop = RandomResizedCrop.mae(32, 32);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            int[] box = crop.box(120, 200, random);
            int top = box[0];
            int left = box[1];
            int height = box[2];
            int width = box[3];
            assertThat(top).isBetween(0, 120 - height);
            assertThat(left).isBetween(0, 200 - width);
            // rounding to whole pixels moves area and ratio a little
            assertThat(height * width / (120.0 * 200)).isBetween(0.19, 1.0);
            assertThat((double) width / height).isBetween(0.74, 1.34);
        }
    }

    @Test
    void simmimsCropKeepsAtLeastTwoThirdsOfTheImage() {
        RandomResizedCrop crop = RandomResizedCrop.simmim(28, 28);
        SplittableRandom random = new SplittableRandom(4);
        double smallest = 1;
        for (int i = 0; i < 500; i++) {
            int[] box = crop.box(28, 28, random);
            smallest = Math.min(smallest, box[2] * box[3] / (28.0 * 28));
        }

        // rounding to whole pixels moves the area a little; MAE's crop goes down to a fifth
        assertThat(smallest).isBetween(0.62, 0.75);
        assertThat(crop.interpolation()).isEqualTo(Interpolation.BILINEAR);
    }

    @Test
    void everyCropHasTheOutputSize() {
        RandomResizedCrop crop = new RandomResizedCrop(24, 16, 0.08, 1, 3.0 / 4, 4.0 / 3, Interpolation.BILINEAR);
        FloatImage image = SyntheticDataset.of(1, new ImageSize(3, 50, 70), 1).read(0);
        SplittableRandom random = new SplittableRandom(5);

        for (int i = 0; i < 20; i++) {
            assertThat(crop.apply(image, random).size()).isEqualTo(new ImageSize(3, 24, 16));
        }
    }

    @Test
    void theSameRandomStateGivesTheSameCrop() {
        FloatImage image = SyntheticDataset.of(1, new ImageSize(3, 50, 70), 1).read(0);
        RandomResizedCrop crop = RandomResizedCrop.mae(32, 32);

        assertThat(crop.apply(image, new SplittableRandom(9)).pixels())
                .containsExactly(crop.apply(image, new SplittableRandom(9)).pixels());
    }

    @Test
    void whenNoBoxFitsTheCentralBoxAtTheNearestRatioIsTaken() {
        // A whole-image area at ratio 2 to 3 can never fit in a square: torchvision falls back to
        // the centre, as wide as the image and as high as ratio 2 allows.
        RandomResizedCrop crop = new RandomResizedCrop(8, 8, 1, 1, 2, 3, Interpolation.BICUBIC);

        assertThat(crop.box(100, 100, new SplittableRandom(1))).containsExactly(25, 0, 50, 100);
    }

    @Test
    void rangesAreChecked() {
        assertThatThrownBy(() -> new RandomResizedCrop(8, 8, 0.5, 0.2, 0.75, 1.33, Interpolation.BICUBIC))
                .hasMessage("crop scale range [0.5, 0.2] must satisfy 0 < min <= max <= 1");
        assertThatThrownBy(() -> new RandomResizedCrop(8, 8, 0.2, 1, 0, 1.33, Interpolation.BICUBIC))
                .hasMessage("crop ratio range [0.0, 1.33] must satisfy 0 < min <= max");
    }
}
