package dev.mim4j.models.mim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.ModelSummary;
import dev.mim4j.models.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official configurations have the official parameter counts: {@code sum(p.numel() for p in
 * model.parameters())} of facebookresearch/mae's {@code mae_vit_*} and of microsoft/SimMIM's ViT-B and
 * Swin-B/L (frozen sin-cos tables included, buffers not), counted with the official code.
 */
class OfficialParameterCountsTest {

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @ParameterizedTest(name = "MAE {0}")
    @CsvSource({"B/16, 111907840, 111655680", "L/16, 329541888, 329239296", "H/14, 657074508, 656613964"})
    void maeHasTheOfficialCounts(String variant, long total, long trainable) {
        MimModel mae = MimModel.compile(MimRecipe.mae(ViT.variant(variant).image(224, 224, 3).build()));
        try {
            ModelSummary summary = mae.summary();
            assertThat(summary.totalParameters()).isEqualTo(total);
            assertThat(summary.trainableParameters()).isEqualTo(trainable);
        } finally {
            mae.close();
        }
    }

    @Test
    void simmimViTBaseHasTheOfficialCount() {
        ViT beit = ViT.variant("B/16").image(224, 224, 3).qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
                .dropPathRate(0.1).absolutePosition(AbsolutePosition.NONE)
                .relativePosition(RelativePosition.SHARED_BIAS).initialization(Initialization.TRUNC_NORMAL).build();
        MimModel simmim = MimModel.compile(MimRecipe.simmim(beit));
        try {
            assertThat(simmim.summary().totalParameters()).isEqualTo(86_256_720L);
            assertThat(simmim.summary().frozenParameters()).isZero();
        } finally {
            simmim.close();
        }
    }

    /**
     * SimMIM's Swin pre-training configurations at 192 px: {@code SimMIM(SwinTransformerForSimMIM(img_size=192,
     * patch_size=4, embed_dim=..., depths=[2, 2, 18, 2], num_heads=..., window_size=...), encoder_stride=32)};
     * the window sizes the relative bias tables, so it is part of the count.
     */
    @ParameterizedTest(name = "SimMIM Swin-{0}, window {1}")
    @CsvSource({"B, 6, 89874104, 86725304", "L, 12, 199881204, 195159540"})
    void simmimSwinHasTheOfficialCounts(String variant, int window, long total, long encoder) {
        Swin swin = Swin.variant(variant).image(192, 192, 3).window(window).dropPathRate(0.1).build();
        assertThat(swin.outputGrid().patchSize()).as("encoder stride").isEqualTo(32);
        MimModel simmim = MimModel.compile(MimRecipe.simmim(swin));
        try {
            ModelSummary summary = simmim.summary();
            assertThat(summary.totalParameters()).isEqualTo(total);
            assertThat(summary.frozenParameters()).isZero();
            assertThat(summary.rows().stream().filter(row -> row.part().equals("encoder"))
                    .mapToLong(ModelSummary.Row::parameters).sum()).isEqualTo(encoder);
        } finally {
            simmim.close();
        }
    }
}
