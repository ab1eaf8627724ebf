package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.Normalize;

class NormalizeTest {

    @Test
    void eachChannelIsShiftedAndScaledByItsOwnStatistics() {
        FloatImage image = new FloatImage(3, 1, 2, new float[] {0.485f, 1, 0.456f, 0, 0.406f, 0.631f});

        FloatImage normalized = Normalize.IMAGENET.apply(image, new SplittableRandom(0));

        assertThat(normalized.pixels()[0]).isCloseTo(0f, within(1e-6f));
        assertThat(normalized.get(0, 0, 1)).isCloseTo((1 - 0.485f) / 0.229f, within(1e-5f));
        assertThat(normalized.get(1, 0, 1)).isCloseTo(-0.456f / 0.224f, within(1e-5f));
        assertThat(normalized.get(2, 0, 1)).isCloseTo(1f, within(1e-5f));
    }

    @Test
    void statisticsOfADatasetComeFromASampleOfIt() throws IOException {
        // images filled with 0, 1, 2, 3: mean 1.5, standard deviation sqrt(1.25)
        Normalize normalize = NormalizationStats.of(IndexedDataset.of(4), 100, 1);

        assertThat(normalize.channels()).isEqualTo(1);
        assertThat(normalize.mean()[0]).isCloseTo(1.5f, within(1e-6f));
        assertThat(normalize.std()[0]).isCloseTo((float) Math.sqrt(1.25), within(1e-6f));
    }

    @Test
    void badImagesInTheSampleFollowTheDatasetsPolicy() throws IOException {
        ImageDataset skipping = IndexedDataset.withBadItems(4, Set.of(3), BadImagePolicy.SKIP_AND_COUNT);
        ImageDataset failing = IndexedDataset.withBadItems(4, Set.of(3), BadImagePolicy.FAIL);

        assertThat(NormalizationStats.of(skipping, 4, 1).mean()[0]).isCloseTo(1f, within(1e-6f));
        assertThatThrownBy(() -> NormalizationStats.of(failing, 4, 1)).hasMessageContaining("item-3.png");
    }

    @Test
    void channelsMustMatch() {
        FloatImage gray = new FloatImage(1, 1, 1, new float[] {0.5f});

        assertThatThrownBy(() -> Normalize.IMAGENET.apply(gray, new SplittableRandom(0)))
                .hasMessage("normalize has statistics for 3 channels but the image has 1");
        assertThatThrownBy(() -> new Normalize(new float[] {0.5f, 0.5f}, new float[] {0.2f}))
                .hasMessage("normalize has 2 means but 1 stds; give one of each per channel");
        assertThatThrownBy(() -> new Normalize(new float[] {0.5f}, new float[] {0}))
                .hasMessage("normalize std 0.0 of channel 0 must be positive and finite");
    }
}
