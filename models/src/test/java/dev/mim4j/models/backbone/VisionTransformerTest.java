package dev.mim4j.models.backbone;

import static dev.mim4j.models.TensorAssert.assertClose;
import static dev.mim4j.models.TensorAssert.assertShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.Map;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.models.Golden;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.ModelSummary;
import dev.mim4j.models.Natives;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.models.weights.StateDict;
import dev.mim4j.models.weights.WeightLoader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VisionTransformerTest {

    /** The MAE golden case's encoder. */
    static final ViT MAE_TINY = ViT.builder().image(32, 32, 3).patchSize(4).width(64).depth(2).heads(4).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    /** timm's {@code vit_*_224} parameter counts without the classification head. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"Ti/16, 5524416", "S/16, 21665664", "B/16, 85798656", "L/16, 303301632", "H/14, 630764800"})
    void variantsHaveTheOfficialParameterCounts(String variant, long parameters) {
        VisionTransformer vit = VisionTransformer.compile(ViT.variant(variant).build());
        try {
            ModelSummary summary = vit.summary();
            assertThat(summary.totalParameters()).isEqualTo(parameters);
            long positions = (long) (vit.spec().tokens() + 1) * vit.spec().width();
            assertThat(summary.frozenParameters()).as("the fixed sin-cos table").isEqualTo(positions);
        } finally {
            vit.close();
        }
    }

    @Test
    void summaryOfViTBase16() {
        VisionTransformer vit = VisionTransformer.compile(ViT.variant("B/16").image(224, 224, 3).build());
        try {
            String table = vit.summary().toString();
            assertThat(table)
                    .contains("patch_embed", "[batch, rows=14, columns=14, width=768]", "590,592")
                    .contains("blocks.11", "[batch, tokens=197, width=768]", "7,087,872")
                    .contains("85,798,656", "trainable 85,647,360, frozen 151,296");
        } finally {
            vit.close();
        }
    }

    @Test
    void encodesWholeImagesOfAnyShapeTheSpecAllows() {
        ViT spec = ViT.builder().image(24, 40, 1).patchSize(8).width(32).depth(2).heads(2).build();
        VisionTransformer vit = VisionTransformer.compile(spec);
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            assertShape(vit.encode(randn(3, 1, 24, 40)), 3, 1 + 3 * 5, 32);
        }
    }

    @Test
    void matchesTheOfficialMaeEncoderOnItsVisibleTokens() throws Exception {
        VisionTransformer vit = VisionTransformer.compile(MAE_TINY, MaskedTokens.DROP);
        try (PointerScope scope = new PointerScope();
                SafetensorsWeights weights = SafetensorsWeights.open(Golden.path(Golden.MAE, "weights.safetensors"));
                SafetensorsWeights io = SafetensorsWeights.open(Golden.path(Golden.MAE, "io.safetensors"))) {
            WeightLoader.lenient().load(vit, weights);
            Tensor images = io.read("input.images");
            MaskSample sample = MaskSample.fromNoise(io.read("input.noise"), 16);
            assertClose("latent", vit.encodeMasked(images, sample, MaskedTokens.DROP), io.read("output.latent"),
                    1e-5, 1e-6);
        }
    }

    @Test
    void buildsTheSimMimFlavourWithItsOfficialNames() {
        ViT spec = MAE_TINY.toBuilder().qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
                .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS).build();
        VisionTransformer vit = VisionTransformer.compile(spec);
        Map<String, Tensor> state = StateDict.of(vit);
        assertThat(state).containsKeys("cls_token", "rel_pos_bias.relative_position_bias_table",
                "rel_pos_bias.relative_position_index", "blocks.1.attn.q_bias", "blocks.1.attn.v_bias",
                "blocks.1.gamma_1", "blocks.1.gamma_2", "blocks.0.attn.qkv.weight").doesNotContainKeys(
                "pos_embed", "blocks.0.attn.qkv.bias");
        assertShape(state.get("rel_pos_bias.relative_position_bias_table"), 15 * 15 + 3, 4);
    }

    @Test
    void relativePositionIndexEqualsTheOfficialOne() throws Exception {
        ViT spec = MAE_TINY.toBuilder().qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
                .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS).build();
        VisionTransformer vit = VisionTransformer.compile(spec);
        try (PointerScope scope = new PointerScope();
                SafetensorsWeights weights = SafetensorsWeights.open(Golden.path(Golden.SIMMIM, "weights.safetensors"))) {
            Tensor official = weights.read("encoder.rel_pos_bias.relative_position_index");
            assertClose("index", StateDict.of(vit).get("rel_pos_bias.relative_position_index"), official, 0, 0);
        }
    }

    @Test
    void intermediateFeaturesRunTheFirstBlocksThenTheFinalNorm() {
        ViT spec = ViT.builder().image(16, 16, 1).patchSize(4).width(32).depth(3).heads(2)
                .relativePosition(RelativePosition.SHARED_BIAS).build();
        VisionTransformer vit = VisionTransformer.compile(spec);
        VisionTransformer oneBlock = VisionTransformer.compile(spec.toBuilder().depth(1).build());
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            Map<String, Tensor> state = StateDict.of(vit);
            // the relative bias starts at zero; make it matter
            state.get("rel_pos_bias.relative_position_bias_table").normal_();
            StateDict.of(oneBlock).forEach((name, tensor) -> tensor.copy_(state.get(name)));
            Tensor images = randn(2, 1, 16, 16);

            assertClose("after block 1", vit.encode(images, 1), oneBlock.encode(images), 1e-6, 1e-6);
            assertClose("after the last block", vit.encode(images, 3), vit.encode(images), 0, 0);
            assertThatThrownBy(() -> vit.encode(images, 0)).hasMessageContaining(
                    "features after block 0: the encoder (").hasMessageEndingWith(") has blocks 1 to 3");
            assertThatThrownBy(() -> vit.encode(images, 4)).hasMessageEndingWith("has blocks 1 to 3");
        }
    }

    @Test
    void rejectsImagesThatDoNotFitTheSpec() {
        VisionTransformer vit = VisionTransformer.compile(MAE_TINY);
        try (PointerScope scope = new PointerScope()) {
            assertThatThrownBy(() -> vit.encode(randn(2, 1, 32, 32)))
                    .hasMessage("images have shape [2, 1, 32, 32] but the model takes [batch, 3, 32, 32]: channels 1 != 3");
            assertThatThrownBy(() -> vit.encode(randn(2, 3, 32, 30)))
                    .hasMessage("images have shape [2, 3, 32, 30] but the model takes [batch, 3, 32, 32]: height x width 32x30 != 32x32");
            assertThatThrownBy(() -> vit.encode(randn(2, 3, 32, 32).to(ScalarType.Double)))
                    .hasMessage("images have dtype Double; the model takes Float (float32) images: convert them with"
                            + " .to(ScalarType.Float)");
            assertThatThrownBy(() -> vit.encode(randn(3, 32, 32)))
                    .hasMessage("images have shape [3, 32, 32] but the model takes [batch, 3, 32, 32]: 3 dimensions instead of 4");
        }
    }
}
