package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

class SyntheticDatasetTest {

    private static final ImageSize SIZE = new ImageSize(3, 16, 20);

    @Test
    void imageIDependsOnlyOnTheSeedAndI() {
        SyntheticDataset dataset = SyntheticDataset.of(100, SIZE, 42);
        float[] late = dataset.read(99).pixels();

        SyntheticDataset again = SyntheticDataset.of(5000, SIZE, 42);
        assertThat(again.read(99).pixels()).containsExactly(late);
        assertThat(again.label(99)).isEqualTo(dataset.label(99));
        assertThat(SyntheticDataset.of(100, SIZE, 43).read(99).pixels()).isNotEqualTo(late);
    }

    @Test
    void valuesAreInTheUnitRangeAndLabelsCoverTheTenClasses() {
        SyntheticDataset dataset = SyntheticDataset.of(200, SIZE, 1);
        Set<Integer> labels = new HashSet<>();

        for (int i = 0; i < dataset.size(); i++) {
            FloatImage image = dataset.read(i);
            assertThat(image.size()).isEqualTo(SIZE);
            for (float value : image.pixels()) {
                assertThat(value).isBetween(0f, 1f);
            }
            labels.add(dataset.label(i));
        }

        assertThat(labels).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(dataset.describe()).isEqualTo("synthetic 200 images 16x20x3, seed 1");
        assertThat(dataset.fixedSize()).contains(SIZE);
    }
}
