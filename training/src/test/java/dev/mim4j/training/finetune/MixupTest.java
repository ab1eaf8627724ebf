package dev.mim4j.training.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MixupTest {

    @Test
    void labelSmoothingAloneSpreadsTheGivenMass() {
        float[] pixels = {1, 2, 3, 4};
        float[] targets = Mixup.none(0.1).apply(pixels, new int[] {0, 2}, 2, 1, 1, 2, 4, new SplittableRandom(1));
        assertThat(targets).containsExactly(new float[] {0.925f, 0.025f, 0.025f, 0.025f, 0.025f, 0.025f, 0.925f,
            0.025f}, within(1e-6f));
        assertThat(pixels).containsExactly(1, 2, 3, 4);
    }

    @Test
    void mixupBlendsImagesAndTargetsWithTheSameWeight() {
        float[] pixels = {1, 1, 0, 0};
        float[] targets = new Mixup(0.8, 0, 0, 0).apply(pixels, new int[] {0, 1}, 2, 1, 1, 2, 2,
                new SplittableRandom(3));
        float lambda = pixels[0];
        assertThat(lambda).isBetween(0f, 1f);
        assertThat(targets[0]).isCloseTo(lambda, within(1e-6f));
        assertThat(targets[0] + targets[1]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void cutmixTargetsFollowThePastedArea() {
        int size = 32;
        float[] pixels = new float[2 * size * size];
        java.util.Arrays.fill(pixels, size * size, pixels.length, 1f);
        float[] targets = new Mixup(0, 1.0, 1.0, 0).apply(pixels, new int[] {0, 1}, 2, 1, size, size, 2,
                new SplittableRandom(9));
        float pasted = 0;
        for (int i = 0; i < size * size; i++) {
            pasted += pixels[i];
        }
        assertThat(targets[1]).as("image 0's share of class 1 is the area pasted from image 1")
                .isCloseTo(pasted / (size * size), within(1e-6f));
    }
}
