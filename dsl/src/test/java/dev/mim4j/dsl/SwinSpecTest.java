package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.stage.SwinBlock;
import org.junit.jupiter.api.Test;

class SwinSpecTest {

    /** SimMIM's Swin-B pre-training configuration. */
    private static final Swin B192 = Swin.variant("Swin-B").image(192, 192, 3).window(6).build();

    @Test
    void variantsAreTheOfficialSizes() {
        assertThat(B192.embedWidth()).isEqualTo(128);
        assertThat(B192.depths()).containsExactly(2, 2, 18, 2);
        assertThat(B192.heads()).containsExactly(4, 8, 16, 32);
        assertThat(B192.width()).isEqualTo(1024);
        assertThat(B192.grid()).isEqualTo(new TokenGrid(48, 48, 4));
        assertThat(B192.outputGrid()).as("encoder stride 32").isEqualTo(new TokenGrid(6, 6, 32));
        assertThat(Swin.variant("t").build().depths()).containsExactly(2, 2, 6, 2);
        assertThatThrownBy(() -> Swin.variant("XL")).isInstanceOf(SpecException.class)
                .hasMessage("unknown Swin variant 'XL': expected one of T, S, B, L (or Swin-T, Swin-S, Swin-B, Swin-L)");
    }

    @Test
    void oddBlocksShiftByHalfAWindowUntilTheGridIsNoLargerThanTheWindow() {
        var stages = B192.pipeline();
        int at = stages.names().indexOf("layers.0.blocks.1");
        assertThat(((SwinBlock) stages.stages().get(at)).shift()).isEqualTo(3);
        assertThat(((SwinBlock) stages.stages().get(stages.names().indexOf("layers.0.blocks.0"))).shift()).isZero();
        SwinBlock last = (SwinBlock) stages.stages().get(stages.names().indexOf("layers.3.blocks.1"));
        assertThat(last.window()).as("6x6 grid, window 6").isEqualTo(6);
        assertThat(last.shift()).isZero();
        assertThat(stages.names()).contains("patch_embed", "mask_token", "layers.2.downsample", "norm")
                .doesNotContain("layers.3.downsample", "absolute_pos_embed");
        assertThat(stages.outputShape().toString()).isEqualTo("[batch, tokens=36, width=1024]");
    }

    @Test
    void sizesThatDoNotFitAreRefusedWithASentence() {
        assertThatThrownBy(() -> Swin.variant("B").image(192, 192, 3).window(7).build())
                .hasMessage("stage 0's 48x48 grid is not a whole number of 7x7 windows");
        assertThatThrownBy(() -> Swin.builder().image(28, 28, 1).patchSize(4).build())
                .hasMessage("stage 0's 7x7 grid cannot be merged into the next stage's: it is not even");
        assertThatThrownBy(() -> Swin.builder().heads(3, 5, 12, 24).build())
                .hasMessage("stage 1 width 192 is not divisible by 5 heads");
        assertThatThrownBy(() -> Swin.builder().depths(2, 2).build())
                .hasMessage("2 stages of depths [2, 2] but 4 of heads [3, 6, 12, 24]");
    }

    @Test
    void aRecipeThatDropsMaskedTokensIsRefusedBecauseWindowsNeedTheWholeGrid() {
        assertThatThrownBy(() -> MimRecipe.mae(B192))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("Swin 192x192x3, patch 4, width 128 (depths 2-2-18-2, heads 4-8-16-32), window 6,")
                .hasMessageContaining("cannot drop masked tokens: that needs a DropMaskedTokens stage; stages that"
                        + " need the whole token grid (window attention, patch merging) cannot follow dropped tokens");
        assertThat(MimRecipe.simmim(B192).decoder()).isEqualTo(Decoder.linearPixels());
    }

    @Test
    void aSwinRecipeReadsBackFromJson() {
        MimRecipe recipe = MimRecipe.simmim(B192.toBuilder().dropPathRate(0.1).absolutePosition(true).build());

        String json = SpecJson.toJson(recipe);
        assertThat(json).contains("\"type\": \"swin\"", "\"depths\": [ 2, 2, 18, 2 ]");
        assertThat(SpecJson.fromJson(json, MimRecipe.class)).isEqualTo(recipe);
    }
}
