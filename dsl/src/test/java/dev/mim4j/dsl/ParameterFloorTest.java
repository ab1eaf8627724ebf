package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mim4j.dsl.recipe.MimRecipe;
import org.junit.jupiter.api.Test;

/**
 * The floor is at most the official parameter count (else a genuine checkpoint would be refused) and close to it
 * (else a forged dimension could hide below it); the counts are those models/OfficialParameterCountsTest
 * checks against the official code.
 */
class ParameterFloorTest {

    @Test
    void maeBase16IsJustBelowItsOfficialCount() {
        long official = 111_907_840L;
        long floor = ParameterFloor.of(MimRecipe.mae(ViT.variant("B/16").image(224, 224, 3).build()));
        assertThat(floor).isLessThanOrEqualTo(official).isGreaterThan((long) (0.98 * official));
    }

    @Test
    void simmimViTBaseAndSwinBaseAreJustBelowTheirOfficialCounts() {
        ViT beit = ViT.variant("B/16").image(224, 224, 3).qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
                .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS).build();
        long vit = ParameterFloor.of(MimRecipe.simmim(beit));
        Swin swin = Swin.variant("B").image(192, 192, 3).window(6).build();
        long swinFloor = ParameterFloor.of(MimRecipe.simmim(swin));
        long swinEncoder = ParameterFloor.of(swin);

        assertThat(vit).isLessThanOrEqualTo(86_256_720L).isGreaterThan((long) (0.98 * 86_256_720L));
        assertThat(swinFloor).isLessThanOrEqualTo(89_874_104L).isGreaterThan((long) (0.9 * 89_874_104L));
        assertThat(swinEncoder).isLessThanOrEqualTo(86_725_304L).isGreaterThan((long) (0.98 * 86_725_304L));
    }

    @Test
    void aForgedDepthOrWidthRaisesTheFloorPastAnyFileAndSaturates() {
        ViT tiny = ViT.builder().image(28, 28, 1).patchSize(4).width(128).depth(6).heads(4).build();
        ViT deep = tiny.toBuilder().depth(100_000).build();
        ViT wide = tiny.toBuilder().width(1 << 30).heads(1).depth(200).build();

        assertThat(ParameterFloor.of(deep)).isGreaterThan(100_000L * 12 * 128 * 128);
        assertThat(ParameterFloor.of(wide)).isEqualTo(Long.MAX_VALUE);
    }
}
