package dev.mim4j.dsl.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.MaskedTokens;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static final ImageSpec IMAGE = ImageSpec.square(224, 3);

    @Test
    void aPipelineRecordsTheShapeAfterEveryStage() {
        Pipeline<Images, Tokens> swinLike = Pipeline.from(IMAGE)
                .then(new Patchify(4, 96))
                .then(new PatchMerging(NormPart.layerNorm(1e-5)))
                .then(new DropMaskedTokens());

        assertThat(swinLike.shapes()).containsExactly(
                Shape.images(3, 224, 224),
                Shape.grid(56, 56, 96),
                Shape.grid(28, 28, 192),
                Shape.tokens(784, 192));
        assertThat(swinLike.stages()).hasSize(3);
    }

    @Test
    void aStageThatDoesNotFitFailsWhenAddedNamingItsIndexAndKind() {
        Pipeline<Images, Grid> grid = Pipeline.from(ImageSpec.square(48, 3)).then(new Patchify(16, 384));

        assertThatThrownBy(() -> grid.then(new PatchMerging(NormPart.layerNorm(1e-5))))
                .isInstanceOf(SpecException.class)
                .hasMessage("stage 1 (PatchMerging) cannot take [batch, rows=3, columns=3, width=384]:"
                        + " patch merging needs an even grid, not 3x3");
    }

    @Test
    void aPipelinePrintsOneLinePerStageWithTheShapeItGives() {
        Pipeline<Images, Tokens> patches = Pipeline.from(IMAGE)
                .then(new Patchify(16, 768))
                .then(new PrependClassToken());

        assertThat(patches).hasToString("""
                Pipeline [batch, channels=3, height=224, width=224]
                  0 Patchify[patchSize=16, width=768] -> [batch, rows=14, columns=14, width=768]
                  1 PrependClassToken[] -> [batch, tokens=197, width=768]""");
    }

    @Test
    void aNamedStageIsPrintedWithItsName() {
        Pipeline<Images, Tokens> patches = Pipeline.from(IMAGE)
                .then("patch_embed", new Patchify(16, 768))
                .then(new DropMaskedTokens())
                .then("cls_token", new PrependClassToken());

        assertThat(patches.names()).containsExactly("patch_embed", "", "cls_token");
        assertThat(patches).hasToString("""
                Pipeline [batch, channels=3, height=224, width=224]
                  0 patch_embed: Patchify[patchSize=16, width=768] -> [batch, rows=14, columns=14, width=768]
                  1 DropMaskedTokens[] -> [batch, tokens=196, width=768]
                  2 cls_token: PrependClassToken[] -> [batch, tokens=197, width=768]""");
    }

    @Test
    void aStageNameIsADottedPathUsedOnce() {
        Pipeline<Images, Grid> patches = Pipeline.from(IMAGE).then("patch_embed", new Patchify(16, 768));

        assertThatThrownBy(() -> patches.then("patch_embed", new ReplaceMaskedTokens()))
                .isInstanceOf(SpecException.class)
                .hasMessage("stage name 'patch_embed' is used twice");
        assertThatThrownBy(() -> patches.then("blocks..0", new ReplaceMaskedTokens()))
                .isInstanceOf(SpecException.class)
                .hasMessage("stage name 'blocks..0' is not a dotted path of letters, digits and underscores");
        assertThat(patches.then("blocks.0", new ReplaceMaskedTokens()).names())
                .containsExactly("patch_embed", "blocks.0");
    }

    @Test
    void pipelinesWithOtherNamesAreNotEqual() {
        assertThat(Pipeline.from(IMAGE).then("patch_embed", new Patchify(16, 768)))
                .isEqualTo(Pipeline.from(IMAGE).then("patch_embed", new Patchify(16, 768)))
                .isNotEqualTo(Pipeline.from(IMAGE).then(new Patchify(16, 768)));
    }

    @Test
    void theMaskedTokenPointsAreFoundByTheirHandling() {
        Pipeline<Images, Tokens> both = Pipeline.from(IMAGE)
                .then(new Patchify(16, 768))
                .then(new ReplaceMaskedTokens())
                .then(new DropMaskedTokens());
        Pipeline<Images, Grid> replaceOnly = Pipeline.from(IMAGE)
                .then(new Patchify(16, 768))
                .then(new ReplaceMaskedTokens());

        assertThat(both.pointFor(MaskedTokens.REPLACE_WITH_TOKEN)).contains(1);
        assertThat(both.pointFor(MaskedTokens.DROP)).contains(2);
        assertThat(replaceOnly.pointFor(MaskedTokens.DROP)).isEmpty();
    }

    @Test
    void addingAStageLeavesTheOriginalPipelineAsItWas() {
        Pipeline<Images, Grid> patches = Pipeline.from(IMAGE).then(new Patchify(16, 768));

        patches.then(new PrependClassToken());

        assertThat(patches.stages()).containsExactly(new Patchify(16, 768));
        assertThat(patches.outputShape()).isEqualTo(Shape.grid(14, 14, 768));
    }

    @Test
    void pipelinesWithTheSameStagesAreEqual() {
        assertThat(Pipeline.from(IMAGE).then(new Patchify(16, 768)))
                .isEqualTo(Pipeline.from(IMAGE).then(new Patchify(16, 768)))
                .isNotEqualTo(Pipeline.from(IMAGE).then(new Patchify(8, 768)));
    }

    @Test
    void anMaeStyleViTIsNamedStagesFromPatchEmbedToNorm() {
        ViT vit = ViT.builder().image(32, 48, 1).patchSize(8).width(64).depth(2).heads(4).build();

        Pipeline<Images, Tokens> backbone = vit.pipeline();

        assertThat(backbone.names()).containsExactly(
                "patch_embed", "mask_token", "pos_embed", "", "cls_token", "blocks.0", "blocks.1", "norm");
        assertThat(backbone.stages()).containsExactly(
                new Patchify(8, 64),
                new ReplaceMaskedTokens(),
                new AddPositions(AbsolutePosition.SIN_COS_2D, 1),
                new DropMaskedTokens(),
                new PrependClassToken(),
                new TransformerBlock(vit.block(0)),
                new TransformerBlock(vit.block(1)),
                new Norm(NormPart.layerNorm(1e-6)));
        assertThat(backbone.inputShape()).isEqualTo(Shape.images(1, 32, 48));
        assertThat(backbone.outputShape()).isEqualTo(Shape.tokens(4 * 6 + 1, 64));
        assertThat(backbone.pointFor(MaskedTokens.REPLACE_WITH_TOKEN)).contains(1);
        assertThat(backbone.pointFor(MaskedTokens.DROP)).contains(3);
    }

    @Test
    void aSimmimStyleViTHasARelativeBiasAndNoPositionsOrClassToken() {
        ViT vit = ViT.builder()
                .image(32, 32, 3).patchSize(8).width(64).depth(2).heads(4)
                .qkvBias(QkvBias.Q_AND_V)
                .absolutePosition(AbsolutePosition.NONE)
                .relativePosition(RelativePosition.SHARED_BIAS)
                .classToken(false)
                .build();

        Pipeline<Images, Tokens> backbone = vit.pipeline();

        assertThat(backbone.names()).containsExactly(
                "patch_embed", "mask_token", "", "rel_pos_bias", "blocks.0", "blocks.1", "norm");
        assertThat(backbone.stages()).containsExactly(
                new Patchify(8, 64),
                new ReplaceMaskedTokens(),
                new DropMaskedTokens(),
                new SharedRelativeBias(4, 4, 4, 0),
                new TransformerBlock(vit.block(0)),
                new TransformerBlock(vit.block(1)),
                new Norm(NormPart.layerNorm(1e-6)));
        assertThat(backbone.outputShape()).isEqualTo(Shape.tokens(16, 64));
    }

    @Test
    void theShapesOfAViTPipelineGoFromImagesThroughTheGridToTokens() {
        ViT vit = ViT.builder().image(32, 48, 1).patchSize(8).width(64).depth(1).heads(4).build();

        assertThat(vit.pipeline().shapes()).containsExactly(
                Shape.images(1, 32, 48),
                Shape.grid(4, 6, 64),
                Shape.grid(4, 6, 64),
                Shape.grid(4, 6, 64),
                Shape.tokens(24, 64),
                Shape.tokens(25, 64),
                Shape.tokens(25, 64),
                Shape.tokens(25, 64));
        assertThat(vit.pipeline()).isEqualTo(vit.pipeline());
    }
}
