package dev.mim4j.dsl.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.BlockSpec;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.MaskedTokens;
import org.junit.jupiter.api.Test;

class StagesTest {

    private static final BlockSpec BASE_BLOCK = new BlockSpec(768, 12, AttentionPart.multiHead(QkvBias.FUSED),
            MlpPart.gelu(4.0), NormPart.layerNorm(1e-6), 0, 0);

    @Test
    void patchifyTurnsEachPatchIntoOneTokenOfTheGrid() {
        assertThat(new Patchify(16, 768).infer(Shape.images(1, 224, 160)))
                .isEqualTo(Shape.grid(14, 10, 768));
    }

    @Test
    void patchMergingHalvesTheGridAndDoublesTheWidth() {
        PatchMerging merging = new PatchMerging(NormPart.layerNorm(1e-5));

        assertThat(merging.infer(Shape.grid(48, 32, 128))).isEqualTo(Shape.grid(24, 16, 256));
        assertThatThrownBy(() -> merging.infer(Shape.grid(7, 8, 128)))
                .isInstanceOf(SpecException.class)
                .hasMessage("patch merging needs an even grid, not 7x8");
        assertThatThrownBy(() -> merging.infer(Shape.tokens(64, 128)))
                .as("after dropped tokens there is no grid to merge")
                .hasMessageStartingWith("expected a whole token grid");
    }

    @Test
    void patchifyNeedsImagesThatThePatchDivides() {
        assertThatThrownBy(() -> new Patchify(16, 768).infer(Shape.images(3, 225, 224)))
                .isInstanceOf(SpecException.class)
                .hasMessage("image height 225 is not a multiple of patch size 16");
    }

    @Test
    void aBlockKeepsTheShapeOfTokensOfItsWidth() {
        TransformerBlock block = new TransformerBlock(BASE_BLOCK);

        assertThat(block.infer(Shape.tokens(197, 768))).isEqualTo(Shape.tokens(197, 768));
        assertThatThrownBy(() -> block.infer(Shape.tokens(197, 384)))
                .isInstanceOf(SpecException.class)
                .hasMessage("token width 384 does not match block width 768");
    }

    @Test
    void theClassTokenAddsOneToken() {
        assertThat(new PrependClassToken().infer(Shape.tokens(196, 768)))
                .isEqualTo(Shape.tokens(197, 768));
    }

    @Test
    void positionsAndNormsKeepTheShape() {
        Shape grid = Shape.grid(14, 14, 768);
        Shape tokens = Shape.tokens(196, 768);

        assertThat(new AddPositions(AbsolutePosition.SIN_COS_2D).infer(grid)).isEqualTo(grid);
        assertThat(new AddPositions(AbsolutePosition.LEARNED, 1).infer(grid)).isEqualTo(grid);
        assertThat(new Norm(NormPart.layerNorm(1e-6)).infer(tokens)).isEqualTo(tokens);
    }

    @Test
    void positionsNeedTheWholeGrid() {
        assertThatThrownBy(() -> new AddPositions(AbsolutePosition.LEARNED).infer(Shape.tokens(196, 768)))
                .isInstanceOf(SpecException.class)
                .hasMessage("expected a whole token grid [batch, rows, columns, width], got [batch, tokens=196, width=768]");
        assertThatThrownBy(() -> new AddPositions(AbsolutePosition.SIN_COS_2D).infer(Shape.grid(14, 14, 198)))
                .isInstanceOf(SpecException.class)
                .hasMessage("width 198 is not a multiple of 4, which 2-D sin-cos positions need");
    }

    @Test
    void replacingMaskedTokensKeepsTheGridAndDroppingThemLeavesASequence() {
        Shape grid = Shape.grid(14, 10, 768);

        assertThat(new ReplaceMaskedTokens().infer(grid)).isEqualTo(grid);
        assertThat(new ReplaceMaskedTokens().handling()).isEqualTo(MaskedTokens.REPLACE_WITH_TOKEN);
        assertThat(new DropMaskedTokens().infer(grid)).isEqualTo(Shape.tokens(140, 768));
        assertThat(new DropMaskedTokens().handling()).isEqualTo(MaskedTokens.DROP);
        assertThatThrownBy(() -> new ReplaceMaskedTokens().infer(Shape.tokens(140, 768)))
                .isInstanceOf(SpecException.class)
                .hasMessage("expected a whole token grid [batch, rows, columns, width], got [batch, tokens=140, width=768]");
    }

    @Test
    void aSharedRelativeBiasTakesTheTokensOfItsGridAndAClassToken() {
        SharedRelativeBias bias = new SharedRelativeBias(14, 14, 12, 1);

        assertThat(bias.infer(Shape.tokens(197, 768))).isEqualTo(Shape.tokens(197, 768));
        assertThat(bias.infer(Shape.tokens(50, 768))).isEqualTo(Shape.tokens(50, 768));
        assertThatThrownBy(() -> bias.infer(Shape.tokens(198, 768)))
                .isInstanceOf(SpecException.class)
                .hasMessage("198 tokens do not fit a 14x14 grid with 1 prefix tokens");
        assertThatThrownBy(() -> new SharedRelativeBias(14, 14, 12, 2))
                .isInstanceOf(SpecException.class)
                .hasMessage("relative bias prefix tokens 2 must be 0 or 1 (a class token)");
    }

    @Test
    void stagesCheckTheirOwnNumbers() {
        assertThatThrownBy(() -> new Patchify(0, 768))
                .isInstanceOf(SpecException.class)
                .hasMessage("patch size 0 must be at least 1");
        assertThatThrownBy(() -> new Norm(NormPart.layerNorm(-1e-6)))
                .isInstanceOf(SpecException.class)
                .hasMessage("norm epsilon -1.0E-6 must be positive");
        assertThatThrownBy(() -> new Norm(null))
                .isInstanceOf(SpecException.class)
                .hasMessage("norm must be given");
        assertThatThrownBy(() -> new AddPositions(AbsolutePosition.LEARNED, -1))
                .isInstanceOf(SpecException.class)
                .hasMessage("prefix tokens -1 must be zero or more");
        assertThatThrownBy(() -> new AddPositions(AbsolutePosition.NONE))
                .isInstanceOf(SpecException.class)
                .hasMessage("position scheme NONE adds nothing; leave the AddPositions stage out");
    }
}
