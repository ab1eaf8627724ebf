package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Compose;

class TransformsTest {

    @Test
    void maePretrainingCropsFlipsAndNormalises() {
        FloatImage photo = SyntheticDataset.of(1, new ImageSize(3, 60, 80), 4).read(0);
        ImageTransform pretrain = Transforms.maePretrain(32, Normalize.IMAGENET);

        FloatImage first = pretrain.apply(photo, new SplittableRandom(11));
        FloatImage second = pretrain.apply(photo, new SplittableRandom(12));

        assertThat(first.size()).isEqualTo(new ImageSize(3, 32, 32));
        assertThat(first.pixels()).isNotEqualTo(second.pixels());
        assertThat(first.pixels()).containsExactly(pretrain.apply(photo, new SplittableRandom(11)).pixels());
    }

    @Test
    void simmimPretrainingCropsMildlyFlipsAndNormalises() {
        ImageTransform pretrain = Transforms.simmimPretrain(32, Normalize.IMAGENET);

        assertThat(((Compose) pretrain).transforms()).containsExactly(RandomResizedCrop.simmim(32, 32),
                new HorizontalFlip(0.5), Normalize.IMAGENET);
    }

    @Test
    void evaluationOfImagesAlreadyAtTheModelSizeOnlyNormalises() {
        FloatImage digit = SyntheticDataset.of(1, new ImageSize(1, 28, 28), 4).read(0);
        Normalize normalize = new Normalize(new float[] {0.25f}, new float[] {0.5f});

        FloatImage evaluated = Transforms.eval(28, normalize).apply(digit, new SplittableRandom(0));

        assertThat(evaluated.pixels()).containsExactly(normalize.apply(digit, new SplittableRandom(0)).pixels());
    }

    @Test
    void evaluationOfLargerImagesResizesTo256Over224ThenCrops() {
        FloatImage photo = SyntheticDataset.of(1, new ImageSize(3, 300, 400), 4).read(0);

        FloatImage evaluated = Transforms.eval(224, Normalize.IMAGENET).apply(photo, new SplittableRandom(0));

        assertThat(evaluated.size()).isEqualTo(new ImageSize(3, 224, 224));
    }
}
