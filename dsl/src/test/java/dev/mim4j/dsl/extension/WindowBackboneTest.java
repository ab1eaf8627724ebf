package dev.mim4j.dsl.extension;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.given;
import static dev.mim4j.dsl.SpecChecks.multipleOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.stage.Grid;
import dev.mim4j.dsl.stage.Images;
import dev.mim4j.dsl.stage.Norm;
import dev.mim4j.dsl.stage.Patchify;
import dev.mim4j.dsl.stage.Pipeline;
import dev.mim4j.dsl.stage.ReplaceMaskedTokens;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.dsl.stage.Stage;
import dev.mim4j.dsl.stage.Tokens;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backbone written outside the library whose stages need the whole token grid, as window
 * attention does: its pipeline has a point where masked tokens are replaced and none where they are
 * dropped, so a recipe may replace them but not drop them.
 */
class WindowBackboneTest {

    /** Mixes the tokens inside each {@code window x window} window of the grid, so it takes a whole grid only. */
    public record WindowMixing(int window) implements Stage<Grid, Grid> {

        public WindowMixing {
            atLeastOne("window", window);
        }

        @Override
        public Shape infer(Shape input) {
            Shape grid = input.requireGrid();
            multipleOf("grid rows", grid.size(Shape.ROWS), "window", window);
            multipleOf("grid columns", grid.size(Shape.COLUMNS), "window", window);
            return grid;
        }
    }

    /** Patches, the mask token, one window-mixing block and a norm. */
    public record WindowBackbone(ImageSpec image, int patchSize, int width, int window) implements Backbone {

        public WindowBackbone {
            given("image", image);
            pipeline(image, patchSize, width, window); // every size is checked when the backbone is built
        }

        @Override
        public TokenGrid grid() {
            return new TokenGrid(image.height() / patchSize, image.width() / patchSize, patchSize);
        }

        @Override
        public int prefixTokens() {
            return 0;
        }

        @Override
        public Pipeline<Images, Tokens> pipeline() {
            return pipeline(image, patchSize, width, window);
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "window backbone %dx%dx%d, patch %d, window %d",
                    image.height(), image.width(), image.channels(), patchSize, window);
        }

        private static Pipeline<Images, Tokens> pipeline(ImageSpec image, int patchSize, int width, int window) {
            return Pipeline.from(image)
                    .then("patch_embed", new Patchify(patchSize, width))
                    .then("mask_token", new ReplaceMaskedTokens())
                    .then("blocks.0", new WindowMixing(window))
                    .then("norm", new Norm(NormPart.layerNorm(1e-6)));
        }
    }

    /** 56x56 RGB in 4 px patches: a 14x14 grid in 7x7 windows. */
    private static final WindowBackbone BACKBONE = new WindowBackbone(ImageSpec.square(56, 3), 4, 96, 7);

    @BeforeAll
    static void registerTheBackbone() {
        SpecJson.register(Backbone.class, "windowed", WindowBackbone.class);
    }

    @Test
    void theBackboneIsItsNamedStages() {
        Pipeline<Images, Tokens> pipeline = BACKBONE.pipeline();

        assertThat(pipeline.names()).containsExactly("patch_embed", "mask_token", "blocks.0", "norm");
        assertThat(pipeline.shapes()).containsExactly(
                Shape.images(3, 56, 56),
                Shape.grid(14, 14, 96),
                Shape.grid(14, 14, 96),
                Shape.grid(14, 14, 96),
                Shape.tokens(196, 96));
        assertThat(pipeline.pointFor(MaskedTokens.REPLACE_WITH_TOKEN)).contains(1);
        assertThat(pipeline.pointFor(MaskedTokens.DROP)).isEmpty();
        assertThat(BACKBONE.tokens()).isEqualTo(196);
        assertThat(BACKBONE.patchDim()).isEqualTo(4 * 4 * 3);
        assertThat(BACKBONE.outputGrid()).isEqualTo(new TokenGrid(14, 14, 4));
    }

    @Test
    void aWindowThatDoesNotTileTheGridFailsWhenTheBackboneIsBuilt() {
        assertThatThrownBy(() -> new WindowBackbone(ImageSpec.square(56, 3), 4, 96, 5))
                .isInstanceOf(SpecException.class)
                .hasMessage("stage 2 (WindowMixing) cannot take [batch, rows=14, columns=14, width=96]:"
                        + " grid rows 14 is not a multiple of window 5");
    }

    @Test
    void aRecipeThatDropsMaskedTokensIsRefusedWithTheReason() {
        String reason = "window backbone 56x56x3, patch 4, window 7 cannot drop masked tokens: that needs a"
                + " DropMaskedTokens stage; stages that need the whole token grid (window attention, patch merging)"
                + " cannot follow dropped tokens";

        assertThatThrownBy(() -> BACKBONE.checkHandles(MaskedTokens.DROP))
                .isInstanceOf(SpecException.class)
                .hasMessage(reason);
        assertThatThrownBy(() -> MimRecipe.mae(BACKBONE))
                .isInstanceOf(SpecException.class)
                .hasMessage(reason);
    }

    @Test
    void aRecipeThatReplacesMaskedTokensBuilds() {
        MimRecipe simmim = MimRecipe.simmimBuilder(BACKBONE).masking(Masking.blocks(8, 0.6)).build();
        MimRecipe maeReplacing = MimRecipe.maeBuilder(BACKBONE).maskedTokens(MaskedTokens.REPLACE_WITH_TOKEN).build();

        BACKBONE.checkHandles(MaskedTokens.REPLACE_WITH_TOKEN);
        assertThat(simmim.backbone()).isSameAs(BACKBONE);
        assertThat(simmim.tokens()).isEqualTo(196);
        assertThat(maeReplacing.describe()).isEqualTo("random patches 0.75, replace masked tokens with a mask token,"
                + " transformer decoder 512x8 (16 heads), normalised pixels, MSE on masked patches");
    }

    @Test
    void aRegisteredBackboneReadsBackEqual() {
        MimRecipe recipe = MimRecipe.simmimBuilder(BACKBONE).masking(Masking.blocks(8, 0.6)).build();

        String json = SpecJson.toJson(recipe);

        assertThat(json).startsWith("""
                {
                  "schema": 2,
                  "backbone": {
                    "type": "windowed",
                    "image": {
                      "height": 56,
                      "width": 56,
                      "channels": 3
                    },
                    "patchSize": 4,
                    "width": 96,
                    "window": 7
                  },
                """);
        assertThat(SpecJson.fromJson(json, MimRecipe.class)).isEqualTo(recipe);
    }
}
