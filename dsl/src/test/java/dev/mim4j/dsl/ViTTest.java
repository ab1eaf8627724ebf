package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Named.named;

import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ViTTest {

    @Test
    void builderDefaultsToMaesViTBase16() {
        ViT vit = ViT.builder().build();

        assertThat(vit).isEqualTo(new ViT(ImageSpec.square(224, 3), 16, 768, 12, 12,
                AttentionPart.multiHead(QkvBias.FUSED), MlpPart.gelu(4.0), NormPart.layerNorm(1e-6), 0, 0,
                true, AbsolutePosition.SIN_COS_2D, RelativePosition.NONE, Initialization.XAVIER_UNIFORM));
        assertThat(vit.describe()).isEqualTo("ViT 224x224x3, patch 16 (14x14=196 tokens), width 768,"
                + " depth 12, heads 12, mlp 3072, qkv FUSED, positions SIN_COS_2D, cls token");
    }

    @Test
    void describeMentionsOptionsOnlyWhenTheyAreOn() {
        ViT simmimStyle = ViT.variant("S/16")
                .image(192, 128, 1)
                .qkvBias(QkvBias.Q_AND_V)
                .absolutePosition(AbsolutePosition.NONE)
                .relativePosition(RelativePosition.SHARED_BIAS)
                .layerScaleInit(0.1)
                .dropPathRate(0.1)
                .classToken(false)
                .build();

        assertThat(simmimStyle.describe()).isEqualTo("ViT 192x128x1, patch 16 (12x8=96 tokens),"
                + " width 384, depth 12, heads 6, mlp 1536, qkv Q_AND_V, positions NONE,"
                + " relative SHARED_BIAS, no cls token, layer scale 0.1, drop path 0.1");
    }

    @Test
    void gridOfANonSquareGrayscaleImage() {
        ViT vit = ViT.builder().image(224, 160, 1).patchSize(16).build();

        assertThat(vit.gridHeight()).isEqualTo(14);
        assertThat(vit.gridWidth()).isEqualTo(10);
        assertThat(vit.tokens()).isEqualTo(140);
        assertThat(vit.patchDim()).isEqualTo(16 * 16 * 1);
    }

    @Test
    void tokensCountPatchesOnlyAndTheClassTokenIsAPrefix() {
        ViT withCls = ViT.builder().build();
        ViT withoutCls = withCls.toBuilder().classToken(false).build();

        assertThat(withCls.tokens()).isEqualTo(196);
        assertThat(withCls.prefixTokens()).isEqualTo(1);
        assertThat(withoutCls.tokens()).isEqualTo(196);
        assertThat(withoutCls.prefixTokens()).isZero();
    }

    @Test
    void dropPathGrowsLinearlyFromZeroToTheRate() {
        ViT vit = ViT.builder().depth(5).dropPathRate(0.1).build();

        assertThat(vit.blocks())
                .extracting(BlockSpec::dropPath)
                .satisfiesExactly(
                        rate -> assertThat(rate).isZero(),
                        rate -> assertThat(rate).isCloseTo(0.025, within(1e-15)),
                        rate -> assertThat(rate).isCloseTo(0.05, within(1e-15)),
                        rate -> assertThat(rate).isCloseTo(0.075, within(1e-15)),
                        rate -> assertThat(rate).isEqualTo(0.1));
    }

    @Test
    void blocksListIsTheBlocksInOrder() {
        ViT vit = ViT.builder().depth(3).dropPathRate(0.2).build();

        assertThat(vit.blocks()).isEqualTo(List.of(vit.block(0), vit.block(1), vit.block(2)));
    }

    @Test
    void aSingleBlockHasNoDropPath() {
        ViT vit = ViT.builder().depth(1).dropPathRate(0.5).build();

        assertThat(vit.block(0).dropPath()).isZero();
    }

    @Test
    void blocksCarryTheBackbonesOptions() {
        ViT vit = ViT.builder().qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1).normEps(1e-5).build();

        assertThat(vit.blocks())
                .hasSize(12)
                .containsOnly(new BlockSpec(768, 12, AttentionPart.multiHead(QkvBias.Q_AND_V), MlpPart.gelu(4.0),
                        NormPart.layerNorm(1e-5), 0.1, 0));
    }

    @Test
    void theShortcutsSetTheBuiltInParts() {
        ViT shortcuts = ViT.builder().mlpRatio(2.0).qkvBias(QkvBias.NONE).normEps(1e-5).build();
        ViT parts = ViT.builder()
                .mlp(MlpPart.gelu(2.0))
                .attention(AttentionPart.multiHead(QkvBias.NONE))
                .norm(NormPart.layerNorm(1e-5))
                .build();

        assertThat(shortcuts).isEqualTo(parts);
        assertThat(shortcuts.mlp()).isEqualTo(MlpPart.gelu(2.0));
        assertThat(shortcuts.attention()).isEqualTo(AttentionPart.multiHead(QkvBias.NONE));
        assertThat(shortcuts.norm()).isEqualTo(NormPart.layerNorm(1e-5));
    }

    @Test
    void aViTIsABackboneOnItsPatchGrid() {
        Backbone vit = ViT.builder().image(224, 160, 1).patchSize(16).width(64).heads(4).build();

        assertThat(vit.grid()).isEqualTo(new TokenGrid(14, 10, 16));
        assertThat(vit.outputGrid()).isEqualTo(vit.grid());
        assertThat(vit.grid().describe()).isEqualTo("14x10 of 16 px");
        assertThat(vit.width()).isEqualTo(64);
        assertThat(vit.prefixTokens()).isEqualTo(1);
    }

    @Test
    void blockIndexMustBeWithinTheDepth() {
        ViT vit = ViT.builder().build();

        assertThatThrownBy(() -> vit.block(12))
                .isInstanceOf(SpecException.class)
                .hasMessage("block index 12 must be in [0, 12)");
        assertThatThrownBy(() -> vit.block(-1))
                .isInstanceOf(SpecException.class)
                .hasMessage("block index -1 must be in [0, 12)");
    }

    @Test
    void toBuilderDerivesAChangedCopyAndLeavesTheOriginal() {
        ViT base = ViT.variant("B/16").build();
        ViT shallow = base.toBuilder().depth(6).build();

        assertThat(base.toBuilder().build()).isEqualTo(base);
        assertThat(shallow.depth()).isEqualTo(6);
        assertThat(base.depth()).isEqualTo(12);
        assertThat(shallow.toBuilder().depth(12).build()).isEqualTo(base);
    }

    @Test
    void learnedPositionsDoNotNeedAWidthDivisibleByFour() {
        ViT vit = ViT.builder().width(198).heads(6).absolutePosition(AbsolutePosition.LEARNED).build();

        assertThat(vit.width()).isEqualTo(198);
    }

    static Stream<Arguments> invalidBackbones() {
        return Stream.of(
                invalid("height not a multiple of the patch",
                        "image height 225 is not a multiple of patch size 16", b -> b.image(225, 224, 3)),
                invalid("width not a multiple of the patch",
                        "image width 225 is not a multiple of patch size 16", b -> b.image(224, 225, 3)),
                invalid("zero patch", "patch size 0 must be at least 1", b -> b.patchSize(0)),
                invalid("no image", "image must be given", b -> b.image(null)),
                invalid("zero width", "width 0 must be at least 1", b -> b.width(0)),
                invalid("zero heads", "heads 0 must be at least 1", b -> b.heads(0)),
                invalid("width not divisible by heads",
                        "width 770 is not divisible by 12 heads", b -> b.width(770)),
                invalid("zero depth", "depth 0 must be at least 1", b -> b.depth(0)),
                invalid("negative mlp ratio", "mlp ratio -1.0 must be positive", b -> b.mlpRatio(-1)),
                invalid("no qkv bias choice", "qkv bias must be given", b -> b.qkvBias(null)),
                invalid("negative layer scale",
                        "layer scale init -1.0E-5 must be zero or positive", b -> b.layerScaleInit(-1e-5)),
                invalid("drop path rate above one",
                        "drop path rate 1.5 must be in [0, 1)", b -> b.dropPathRate(1.5)),
                invalid("zero norm epsilon", "norm epsilon 0.0 must be positive", b -> b.normEps(0)),
                invalid("no attention", "attention must be given", b -> b.attention(null)),
                invalid("no mlp", "mlp must be given", b -> b.mlp(null)),
                invalid("no norm", "norm must be given", b -> b.norm(null)),
                invalid("no absolute position choice",
                        "absolute position must be given", b -> b.absolutePosition(null)),
                invalid("no relative position choice",
                        "relative position must be given", b -> b.relativePosition(null)),
                invalid("no initialization choice",
                        "initialization must be given", b -> b.initialization(null)),
                invalid("sin-cos positions over a width not divisible by four",
                        "width 198 is not a multiple of 4, which 2-D sin-cos positions need",
                        b -> b.width(198).heads(6)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBackbones")
    void invalidBackbonesAreRejectedWithASentence(UnaryOperator<ViT.Builder> change, String message) {
        // The shortcuts mlpRatio, qkvBias and normEps make their part at once, and a part checks itself
        // when it is made, so their sentence comes from the builder call rather than from build().
        assertThatThrownBy(() -> change.apply(ViT.builder()).build())
                .isInstanceOf(SpecException.class)
                .hasMessage(message);
    }

    private static Arguments invalid(String name, String message, UnaryOperator<ViT.Builder> change) {
        return Arguments.of(named(name, change), message);
    }
}
