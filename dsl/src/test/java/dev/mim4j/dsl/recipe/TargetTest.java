package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void pixelsAreRawUnlessNormalisedPerPatch() {
        PixelTarget raw = Target.pixels();
        PixelTarget normalised = Target.pixels().normalizedPerPatch();

        assertThat(raw.perPatchNormalized()).isFalse();
        assertThat(normalised.perPatchNormalized()).isTrue();
        assertThat(normalised).isEqualTo(new PixelTarget(true));
        assertThat(raw.describe()).isEqualTo("pixels");
        assertThat(normalised.describe()).isEqualTo("normalised pixels");
    }

    @Test
    void normalisingTwiceIsNormalisingOnce() {
        assertThat(Target.pixels().normalizedPerPatch().normalizedPerPatch())
                .isEqualTo(Target.pixels().normalizedPerPatch());
    }

    @Test
    void theEpsilonIsMaes() {
        assertThat(PixelTarget.NORM_EPS).isEqualTo(1e-6);
    }
}
