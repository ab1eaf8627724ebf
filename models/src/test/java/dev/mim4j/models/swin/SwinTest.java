package dev.mim4j.models.swin;

import static dev.mim4j.models.TensorAssert.assertShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.Map;

import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.models.Natives;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Swin compiled through the one compiler has the official names, buffers, layer ids and no-decay set. */
class SwinTest {

    /** 32x32 in 2x2 patches: stages of 16x16 (window 4, shifted), 8x8 (window 4, shifted), 4x4 (window 4, unshifted). */
    static final Swin TINY = Swin.builder().image(32, 32, 3).patchSize(2).embedWidth(32).depths(2, 2, 2)
            .heads(2, 4, 8).window(4).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @Test
    void itHasTheOfficialNamesAndBuffers() {
        Map<String, Tensor> state = StateDict.of(VisionTransformer.compile(TINY, MaskedTokens.REPLACE_WITH_TOKEN));

        assertThat(state).containsKeys("patch_embed.proj.weight", "patch_embed.norm.weight", "mask_token",
                "layers.0.blocks.0.norm1.weight", "layers.0.blocks.0.attn.qkv.bias",
                "layers.0.blocks.0.attn.relative_position_bias_table", "layers.0.blocks.0.attn.relative_position_index",
                "layers.0.blocks.1.attn_mask", "layers.0.downsample.reduction.weight", "layers.0.downsample.norm.bias",
                "layers.1.blocks.1.attn_mask", "layers.2.blocks.1.mlp.fc2.weight", "norm.weight")
                .doesNotContainKeys("layers.0.blocks.0.attn_mask", "layers.2.blocks.1.attn_mask",
                        "layers.2.downsample.reduction.weight", "layers.0.downsample.reduction.bias");
        assertShape(state.get("layers.0.blocks.0.attn.relative_position_bias_table"), 7 * 7, 2);
        assertShape(state.get("layers.0.blocks.1.attn_mask"), 16, 16, 16);
    }

    @Test
    void theShiftedMaskKeepsAttentionInsideItsRegionsAsTheOfficialOneDoes() {
        // an 8x8 grid in 4x4 windows shifted by 2: the last window (bottom right) holds four regions
        float[] mask = ShiftedWindows.mask(8, 8, 4, 2);
        int places = 16;
        int last = 3;
        // place 0 (row 0, column 0 of the window: region 1/1) and place 3 (row 0, column 3: region 1/2)
        assertThat(mask[(last * places) * places + 3]).isEqualTo(ShiftedWindows.APART);
        // places 0 and 1 are in the same region
        assertThat(mask[(last * places) * places + 1]).isZero();
        // the first window lies inside one region
        for (int i = 0; i < places * places; i++) {
            assertThat(mask[i]).isZero();
        }
    }

    @Test
    void layersFollowGetSwinLayerAndTheNoDecaySetIsTheOfficialOne() {
        ParameterRoles roles = VisionTransformer.compile(TINY, MaskedTokens.REPLACE_WITH_TOKEN).parameterRoles();

        assertThat(roles.layers()).isEqualTo(6 + 2);
        assertThat(roles.layerOf("patch_embed.proj.weight")).isZero();
        assertThat(roles.layerOf("mask_token")).isZero();
        assertThat(roles.layerOf("layers.0.blocks.0.attn.qkv.weight")).isEqualTo(1);
        assertThat(roles.layerOf("layers.0.blocks.1.mlp.fc1.weight")).isEqualTo(2);
        assertThat(roles.layerOf("layers.0.downsample.reduction.weight")).as("sum(depths[:1])").isEqualTo(2);
        assertThat(roles.layerOf("layers.1.blocks.0.norm1.weight")).isEqualTo(3);
        assertThat(roles.layerOf("layers.1.downsample.norm.weight")).as("sum(depths[:2])").isEqualTo(4);
        assertThat(roles.layerOf("layers.2.blocks.1.attn.proj.bias")).isEqualTo(6);
        assertThat(roles.layerOf("norm.weight")).isEqualTo(7);
        assertThat(roles.tokens()).contains("mask_token", "layers.0.blocks.0.attn.relative_position_bias_table",
                "layers.2.blocks.1.attn.relative_position_bias_table").hasSize(1 + 6);
    }

    @Test
    void featuresAreTheLastStagesGridWithoutAClassToken() {
        VisionTransformer swin = VisionTransformer.compile(TINY);
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            assertShape(swin.encode(randn(2, 3, 32, 32)), 2, 4 * 4, 128);
            assertThat(swin.depth()).isEqualTo(6);
            assertThatThrownBy(() -> swin.encode(randn(1, 3, 32, 32), 2))
                    .hasMessageContaining("changes its grid after that block (layers.0.downsample)");
        }
    }
}
