package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import org.junit.jupiter.api.Test;

class LoaderThroughputTest {

    @Test
    void measuresImagesPerSecondOfARealConfiguration() {
        ImageSize size = new ImageSize(3, 32, 32);
        BatchLoader.Builder builder = BatchLoader.builder(SyntheticDataset.of(256, size, 1),
                        Transforms.maePretrain(32, Normalize.IMAGENET), size)
                .batchSize(16)
                .workers(2);

        double imagesPerSecond = LoaderThroughput.measure(builder, 5);

        assertThat(imagesPerSecond).isPositive().isFinite();
    }
}
