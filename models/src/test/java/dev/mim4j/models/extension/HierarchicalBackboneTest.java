package dev.mim4j.models.extension;

import static dev.mim4j.models.TensorAssert.assertShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.randn;
import static org.bytedeco.pytorch.global.torch.scaled_dot_product_attention;

import java.util.Map;
import java.util.SplittableRandom;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.SpecChecks;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.stage.Grid;
import dev.mim4j.dsl.stage.Images;
import dev.mim4j.dsl.stage.Norm;
import dev.mim4j.dsl.stage.PatchMerging;
import dev.mim4j.dsl.stage.Patchify;
import dev.mim4j.dsl.stage.Pipeline;
import dev.mim4j.dsl.stage.ReplaceMaskedTokens;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.dsl.stage.Stage;
import dev.mim4j.dsl.stage.Tokens;
import dev.mim4j.models.Natives;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.parts.Linear;
import dev.mim4j.models.parts.PartModule;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hierarchical backbone of the kind Swin is, declared in test code with the library's own
 * mechanisms: a stage of its own over the whole token grid (attention inside windows) with its
 * compiler, the library's patch merging (which halves the grid and doubles the width), and a backbone
 * whose output grid is coarser than its patch grid. SimMIM's linear decoder follows it; dropping
 * tokens is refused.
 */
class HierarchicalBackboneTest {

    /** Self-attention, one head, inside each {@code window x window} window of the grid. */
    public record WindowMixing(int window) implements Stage<Grid, Grid> {
        @Override
        public Shape infer(Shape input) {
            input.requireGrid();
            SpecChecks.check(input.size(Shape.ROWS) % window == 0 && input.size(Shape.COLUMNS) % window == 0,
                    "window %d does not tile the %dx%d grid", window, input.size(Shape.ROWS), input.size(Shape.COLUMNS));
            return input;
        }
    }

    /** Two stages of window mixing with a merge between them; 16x16 grayscale images in 2x2 patches. */
    public record TinyHierarchy(int embedWidth) implements Backbone {
        @Override
        public ImageSpec image() {
            return ImageSpec.square(16, 1);
        }

        @Override
        public TokenGrid grid() {
            return new TokenGrid(8, 8, 2);
        }

        @Override
        public TokenGrid outputGrid() {
            return new TokenGrid(4, 4, 4);
        }

        @Override
        public int width() {
            return 2 * embedWidth;
        }

        @Override
        public int prefixTokens() {
            return 0;
        }

        @Override
        public Pipeline<Images, ? extends Tokens> pipeline() {
            return Pipeline.from(image())
                    .then("patch_embed", new Patchify(2, embedWidth))
                    .then("mask_token", new ReplaceMaskedTokens())
                    .then("layers.0.blocks.0", new WindowMixing(4))
                    .then("layers.0.downsample", new PatchMerging(NormPart.layerNorm(1e-5)))
                    .then("layers.1.blocks.0", new WindowMixing(2))
                    .then("norm", new Norm(NormPart.layerNorm(1e-5)));
        }

        @Override
        public String describe() {
            return "tiny hierarchy, width " + embedWidth;
        }
    }

    private static final MimRecipe SIMMIM = MimRecipe.simmimBuilder(new TinyHierarchy(8))
            .masking(dev.mim4j.dsl.recipe.Masking.blocks(4, 0.5)).build();

    @BeforeAll
    static void register() {
        Natives.threads(1);
        SpecJson.register(Backbone.class, "tinyHierarchy", TinyHierarchy.class);
        Compilers.stage(WindowMixing.class, WindowMixingStage::compile);
    }

    @Test
    void itCompilesThroughTheOneCompilerAndTrainsWithSimMimsDecoder() {
        MimModel model = MimModel.compile(SIMMIM);
        Map<String, Tensor> state = StateDict.of(model);
        assertThat(state).containsKeys("encoder.patch_embed.proj.weight", "encoder.mask_token",
                "encoder.layers.0.blocks.0.qkv.weight", "encoder.layers.0.downsample.norm.weight",
                "encoder.layers.0.downsample.reduction.weight", "encoder.layers.1.blocks.0.qkv.weight",
                "encoder.norm.weight", "decoder.0.weight");
        assertThat(state.get("decoder.0.weight").size(0)).as("stride 4: 4 x 4 pixels per output token").isEqualTo(16);
        try (PointerScope scope = new PointerScope()) {
            Tensor images = randn(2, 1, 16, 16);
            Tensor loss = model.forward(images, new SplittableRandom(3)).loss();
            loss.backward();
            assertThat(loss.item_double()).isFinite();
            assertThat(state.get("encoder.layers.0.downsample.reduction.weight").grad().abs().sum().item_double())
                    .isPositive();
            assertShape(model.encoder().encode(images), 2, 16, 16);
        }
    }

    @Test
    void layersAreNumberedByBlockAndMergingGoesWithTheBlockBeforeIt() {
        MimModel model = MimModel.compile(SIMMIM);
        ParameterRoles roles = model.encoder().parameterRoles();

        assertThat(model.encoder().depth()).isEqualTo(2);
        assertThat(roles.layerOf("patch_embed.proj.weight")).isZero();
        assertThat(roles.layerOf("layers.0.blocks.0.qkv.weight")).isEqualTo(1);
        assertThat(roles.layerOf("layers.0.downsample.reduction.weight")).isEqualTo(1);
        assertThat(roles.layerOf("layers.1.blocks.0.qkv.weight")).isEqualTo(2);
        assertThat(roles.layerOf("norm.weight")).isEqualTo(3);
        assertThat(roles.isToken("mask_token")).isTrue();
    }

    @Test
    void aRecipeThatDropsTokensIsRefusedBecauseTheStagesNeedTheWholeGrid() {
        assertThatThrownBy(() -> SIMMIM.toBuilder().maskedTokens(MaskedTokens.DROP)
                .decoder(Decoder.transformer(16, 1, 2)).build())
                .hasMessage("tiny hierarchy, width 8 cannot drop masked tokens: that needs a DropMaskedTokens stage;"
                        + " stages that need the whole token grid (window attention, patch merging) cannot follow"
                        + " dropped tokens");
    }

    @Test
    void aDecoderThatPredictsOnePatchPerTokenSaysWhyItCannotFollowWhenTheRecipeIsBuilt() {
        assertThatThrownBy(() -> SIMMIM.toBuilder().decoder(Decoder.transformer(16, 1, 2)).build())
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("a transformer decoder predicts one patch per encoder token");
    }

    @Test
    void theRecipeReadsBackFromJson() {
        assertThat(SpecJson.fromJson(SpecJson.toJson(SIMMIM), MimRecipe.class)).isEqualTo(SIMMIM);
    }

    /** {@link WindowMixing} compiled: a fused qkv Linear and attention within each window. */
    static final class WindowMixingStage extends PartModule implements CompiledStage {
        private final int window;
        private final int rows;
        private final int columns;
        private final Linear qkv;

        private WindowMixingStage(int window, int rows, int columns, int width) {
            this.window = window;
            this.rows = rows;
            this.columns = columns;
            qkv = child("qkv", Linears.of(width, 3L * width, true));
        }

        static CompiledStage compile(WindowMixing stage, StageContext context) {
            Shape grid = context.input();
            return context.module(new WindowMixingStage(stage.window(), grid.size(Shape.ROWS),
                    grid.size(Shape.COLUMNS), grid.size(Shape.WIDTH)));
        }

        @Override
        public TokenFlow forward(TokenFlow flow) {
            Tensor x = flow.data();
            long batch = x.size(0);
            long width = x.size(2);
            long per = (long) window * window;
            Tensor windows = x.reshape(batch, rows / window, window, columns / window, window, width)
                    .permute(0, 1, 3, 2, 4, 5).reshape(-1, per, width);
            TensorVector qkvs = qkv.forward(windows).chunk(3, -1);
            Tensor mixed = scaled_dot_product_attention(qkvs.get(0), qkvs.get(1), qkvs.get(2), new TensorOptional(),
                    0.0, false, new DoubleOptional(), false);
            Tensor back = mixed.reshape(batch, rows / window, columns / window, window, window, width)
                    .permute(0, 1, 3, 2, 4, 5).reshape(batch, (long) rows * columns, width);
            return flow.withData(x.add(back));
        }

        @Override
        public LayerRole role() {
            return LayerRole.BLOCK;
        }
    }
}
