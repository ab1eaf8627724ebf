package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.part.MlpPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ViTVariantTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "Ti/16, 16,  192, 12,  3",
            "S/16,  16,  384, 12,  6",
            "B/16,  16,  768, 12, 12",
            "L/16,  16, 1024, 24, 16",
            "H/14,  14, 1280, 32, 16",
            "B/8,    8,  768, 12, 12",
            "S/32,  32,  384, 12,  6",
    })
    void variantStringsSetPatchWidthDepthAndHeads(
            String name, int patchSize, int width, int depth, int heads) {
        ViT vit = ViT.variant(name).build();

        assertThat(vit.patchSize()).isEqualTo(patchSize);
        assertThat(vit.width()).isEqualTo(width);
        assertThat(vit.depth()).isEqualTo(depth);
        assertThat(vit.heads()).isEqualTo(heads);
        assertThat(vit.mlp()).isEqualTo(MlpPart.gelu(4.0));
    }

    @Test
    void variantsKeepTheOtherDefaultsAndTakeAnImage() {
        ViT vit = ViT.variant("L/16").image(256, 128, 1).build();

        assertThat(vit).isEqualTo(ViT.builder()
                .image(256, 128, 1).width(1024).depth(24).heads(16).build());
    }

    @ParameterizedTest
    @EnumSource(ViTVariant.class)
    void theTableAndTheStringsAgree(ViTVariant variant) {
        assertThat(ViT.variant(variant.label() + "/16").build())
                .isEqualTo(ViT.variant(variant, 16).build());
        assertThat(ViTVariant.byLabel(variant.label())).contains(variant);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
            "X/16", "B", "B/", "/16", "b/16", "B/16/2", "B-16", "Ti/x", "", "B/12345"})
    void badVariantStringsAreRejected(String name) {
        assertThatThrownBy(() -> ViT.variant(name))
                .isInstanceOf(SpecException.class)
                .hasMessage("unknown ViT variant '" + name
                        + "': expected one of Ti, S, B, L, H followed by /patch, e.g. B/16");
    }

    @Test
    void aZeroPatchIsCaughtWhenBuilt() {
        assertThatThrownBy(() -> ViT.variant("B/0").build())
                .isInstanceOf(SpecException.class)
                .hasMessage("patch size 0 must be at least 1");
    }
}
