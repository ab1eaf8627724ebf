package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import dev.mim4j.models.image.FloatImage;

class HorizontalFlipTest {

    /** Two channels of 2x3, pixel (c, y, x) = 100c + 10y + x. */
    private static final FloatImage IMAGE = new FloatImage(2, 2, 3, new float[] {
        0, 1, 2, 10, 11, 12,
        100, 101, 102, 110, 111, 112
    });

    @Test
    void aFlipMirrorsEveryRowOfEveryChannel() {
        FloatImage flipped = new HorizontalFlip(1).apply(IMAGE, new SplittableRandom(1));

        assertThat(flipped.pixels()).containsExactly(
                2, 1, 0, 12, 11, 10,
                102, 101, 100, 112, 111, 110);
        assertThat(IMAGE.get(0, 0, 0)).as("the input is unchanged").isZero();
    }

    @Test
    void probabilityZeroNeverFlipsAndHalfFlipsAboutHalf() {
        assertThat(new HorizontalFlip(0).apply(IMAGE, new SplittableRandom(1))).isSameAs(IMAGE);

        SplittableRandom random = new SplittableRandom(7);
        HorizontalFlip half = new HorizontalFlip(0.5);
        int flips = 0;
        for (int i = 0; i < 1000; i++) {
            flips += half.apply(IMAGE, random) == IMAGE ? 0 : 1;
        }
        assertThat(flips).isBetween(430, 570);
    }

    @Test
    void probabilityMustBeAProbability() {
        assertThatThrownBy(() -> new HorizontalFlip(1.5)).hasMessage("flip probability 1.5 must be in [0, 1]");
    }
}
