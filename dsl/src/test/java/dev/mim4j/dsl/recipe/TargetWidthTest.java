package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.ViT;
import org.junit.jupiter.api.Test;

/** A target says how many values it holds per patch, and a decoder that cannot predict that many is refused at build(). */
class TargetWidthTest {

    /** A target of another width than pixels: 9 orientation bins per cell, 4 cells per patch, per channel (HOG-like). */
    record HistogramTarget(int bins, int cellsPerPatch) implements Target {
        @Override
        public void validate(Backbone backbone) {
        }

        @Override
        public int width(Backbone backbone) {
            return bins * cellsPerPatch * backbone.image().channels();
        }

        @Override
        public String describe() {
            return "histograms";
        }
    }

    private static final ViT VIT = ViT.builder().image(32, 32, 3).patchSize(8).width(64).depth(2).heads(4).build();

    @Test
    void pixelsAreAsWideAsAPatch() {
        assertThat(Target.pixels().width(VIT)).isEqualTo(8 * 8 * 3);
        assertThat(Target.pixels().normalizedPerPatch().width(VIT)).isEqualTo(192);
    }

    @Test
    void aLinearPixelDecoderForATargetOfAnotherWidthIsRefusedWhenTheRecipeIsBuilt() {
        MimRecipe.Builder histograms = MimRecipe.simmimBuilder(VIT).masking(Masking.blocks(16, 0.5))
                .target(new HistogramTarget(9, 4));
        assertThatThrownBy(histograms::build).isInstanceOf(SpecException.class)
                .hasMessage("a linear pixel decoder predicts the pixels of each patch, 192 values (8x8x3), but the"
                        + " target has 108 per patch; use a transformer decoder, or a decoder of your own for that"
                        + " target");
    }

    @Test
    void aTransformerDecoderPredictsAnyWidth() {
        MimRecipe recipe = MimRecipe.mae(VIT).toBuilder().target(new HistogramTarget(9, 4)).build();
        assertThat(recipe.target().width(recipe.backbone())).isEqualTo(108);
    }
}
