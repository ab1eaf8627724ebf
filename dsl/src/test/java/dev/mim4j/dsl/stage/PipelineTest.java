package dev.mim4j.dsl.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.ViT;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static final ImageSpec IMAGE = ImageSpec.square(224, 3);

    @Test
    void aPipelineRecordsTheShapeAfterEveryStage() {
        Pipeline<Images, Images> roundTrip = Pipeline.from(IMAGE)
                .then(new Patchify(16, 384))
                .then(new Linear(16 * 16 * 3, true))
                .then(Unpatchify.to(IMAGE, 16));

        assertThat(roundTrip.shapes()).containsExactly(
                Shape.images(3, 224, 224),
                Shape.tokens(196, 384),
                Shape.tokens(196, 768),
                Shape.images(3, 224, 224));
        assertThat(roundTrip.outputShape()).isEqualTo(roundTrip.inputShape());
        assertThat(roundTrip.stages()).hasSize(3);
    }

    @Test
    void aStageThatDoesNotFitFailsWhenAddedNamingItsIndexAndKind() {
        Pipeline<Images, Tokens> tokens = Pipeline.from(IMAGE).then(new Patchify(16, 384));

        assertThatThrownBy(() -> tokens.then(Unpatchify.to(IMAGE, 16)))
                .isInstanceOf(SpecException.class)
                .hasMessage("stage 1 (Unpatchify) cannot take [batch, tokens=196, width=384]:"
                        + " token width 384 does not hold one 16x16 patch of 3 channels (768 values)");
    }

    @Test
    void theClassTokenMustGoBeforeUnpatchifying() {
        Pipeline<Images, Tokens> withCls = Pipeline.from(IMAGE)
                .then(new Patchify(16, 768))
                .then(new PrependClassToken());

        assertThatThrownBy(() -> withCls.then(Unpatchify.to(IMAGE, 16)))
                .isInstanceOf(SpecException.class)
                .hasMessage("stage 2 (Unpatchify) cannot take [batch, tokens=197, width=768]:"
                        + " token count 197 does not match the 14x14 grid of 196 patches");
    }

    @Test
    void aPipelinePrintsOneLinePerStageWithTheShapeItGives() {
        Pipeline<Images, Tokens> patches = Pipeline.from(IMAGE)
                .then(new Patchify(16, 768))
                .then(new PrependClassToken());

        assertThat(patches).hasToString("""
                Pipeline [batch, channels=3, height=224, width=224]
                  0 Patchify[patchSize=16, width=768] -> [batch, tokens=196, width=768]
                  1 PrependClassToken[] -> [batch, tokens=197, width=768]""");
    }

    @Test
    void addingAStageLeavesTheOriginalPipelineAsItWas() {
        Pipeline<Images, Tokens> patches = Pipeline.from(IMAGE).then(new Patchify(16, 768));

        patches.then(new PrependClassToken());

        assertThat(patches.stages()).containsExactly(new Patchify(16, 768));
        assertThat(patches.outputShape()).isEqualTo(Shape.tokens(196, 768));
    }

    @Test
    void pipelinesWithTheSameStagesAreEqual() {
        assertThat(Pipeline.from(IMAGE).then(new Patchify(16, 768)))
                .isEqualTo(Pipeline.from(IMAGE).then(new Patchify(16, 768)))
                .isNotEqualTo(Pipeline.from(IMAGE).then(new Patchify(8, 768)));
    }

    @Test
    void aDecoderPipelineStartsFromTokens() {
        Pipeline<Tokens, Images> decoder = Pipeline.fromTokens(196, 512)
                .then(new LayerNorm(1e-6))
                .then(new Linear(768, true))
                .then(Unpatchify.to(IMAGE, 16));

        assertThat(decoder.outputShape()).isEqualTo(Shape.images(3, 224, 224));
    }

    @Test
    void aViTIsPatchifyPositionsClassTokenBlocksAndANorm() {
        ViT vit = ViT.builder().image(32, 48, 1).patchSize(8).width(64).depth(2).heads(4).build();

        Pipeline<Images, Tokens> backbone = vit.asPipeline();

        assertThat(backbone.stages()).containsExactly(
                new Patchify(8, 64),
                new AddPositions(AbsolutePosition.SIN_COS_2D),
                new PrependClassToken(),
                new TransformerBlock(vit.block(0)),
                new TransformerBlock(vit.block(1)),
                new LayerNorm(1e-6));
        assertThat(backbone.inputShape()).isEqualTo(Shape.images(1, 32, 48));
        assertThat(backbone.outputShape()).isEqualTo(Shape.tokens(4 * 6 + 1, 64));
    }

    @Test
    void aViTWithoutPositionsOrClassTokenLeavesThoseStagesOut() {
        ViT vit = ViT.builder()
                .image(32, 32, 3).patchSize(8).width(64).depth(1).heads(4)
                .absolutePosition(AbsolutePosition.NONE)
                .classToken(false)
                .build();

        assertThat(vit.asPipeline().stages()).containsExactly(
                new Patchify(8, 64), new TransformerBlock(vit.block(0)), new LayerNorm(1e-6));
        assertThat(vit.asPipeline().outputShape()).isEqualTo(Shape.tokens(16, 64));
    }
}
