package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import org.junit.jupiter.api.Test;

/**
 * Documents carry the schema they were written in, and a document of schema 1 (before the part
 * families were opened: no "schema", no backbone "type", mlpRatio, qkvBias and normEps as plain
 * fields, target and loss without a "type") still reads, as the spec it was written from.
 */
class SpecJsonSchemaTest {

    /** experiments/fashion-mnist/mae.json, as main wrote it in schema 1. */
    private static final String FASHION_MNIST_MAE_V1 = """
            {
              "backbone": {
                "image": {
                  "height": 28,
                  "width": 28,
                  "channels": 1
                },
                "patchSize": 7,
                "width": 128,
                "depth": 6,
                "heads": 4,
                "mlpRatio": 4.0,
                "qkvBias": "FUSED",
                "layerScaleInit": 0.0,
                "dropPathRate": 0.0,
                "normEps": 1e-06,
                "classToken": true,
                "absolutePosition": "SIN_COS_2D",
                "relativePosition": "NONE",
                "initialization": "XAVIER_UNIFORM"
              },
              "masking": {
                "type": "randomPatches",
                "ratio": 0.75
              },
              "maskedTokens": "DROP",
              "decoder": {
                "type": "transformer",
                "width": 64,
                "depth": 2,
                "heads": 4,
                "mlpRatio": 4.0,
                "normEps": 1e-06
              },
              "target": {
                "perPatchNormalized": true
              },
              "loss": {
                "kind": "MSE",
                "maskedPatchesOnly": true
              }
            }""";

    /** experiments/fashion-mnist/simmim.json, as main wrote it in schema 1. */
    private static final String FASHION_MNIST_SIMMIM_V1 = """
            {
              "backbone": {
                "image": {
                  "height": 28,
                  "width": 28,
                  "channels": 1
                },
                "patchSize": 7,
                "width": 128,
                "depth": 6,
                "heads": 4,
                "mlpRatio": 4.0,
                "qkvBias": "FUSED",
                "layerScaleInit": 0.0,
                "dropPathRate": 0.0,
                "normEps": 1e-06,
                "classToken": true,
                "absolutePosition": "SIN_COS_2D",
                "relativePosition": "NONE",
                "initialization": "XAVIER_UNIFORM"
              },
              "masking": {
                "type": "blocks",
                "maskPatch": 7,
                "ratio": 0.6
              },
              "maskedTokens": "REPLACE_WITH_TOKEN",
              "decoder": {
                "type": "linearPixels"
              },
              "target": {
                "perPatchNormalized": false
              },
              "loss": {
                "kind": "L1",
                "maskedPatchesOnly": true
              }
            }""";

    /** A SimMIM-style ViT as SpecJson.toJson wrote it in schema 1. */
    private static final String SIMMIM_STYLE_VIT_V1 = """
            {
              "image": {
                "height": 192,
                "width": 128,
                "channels": 1
              },
              "patchSize": 16,
              "width": 384,
              "depth": 12,
              "heads": 6,
              "mlpRatio": 3.0,
              "qkvBias": "Q_AND_V",
              "layerScaleInit": 0.1,
              "dropPathRate": 0.1,
              "normEps": 1.0E-5,
              "classToken": false,
              "absolutePosition": "NONE",
              "relativePosition": "SHARED_BIAS",
              "initialization": "TRUNC_NORMAL"
            }""";

    private static final ViT SIMMIM_STYLE_VIT = ViT.variant("S/16")
            .image(192, 128, 1)
            .mlpRatio(3.0)
            .qkvBias(QkvBias.Q_AND_V)
            .layerScaleInit(0.1)
            .dropPathRate(0.1)
            .normEps(1e-5)
            .classToken(false)
            .absolutePosition(AbsolutePosition.NONE)
            .relativePosition(RelativePosition.SHARED_BIAS)
            .initialization(Initialization.TRUNC_NORMAL)
            .build();

    private static final ViT FASHION_MNIST_VIT =
            ViT.builder().image(28, 28, 1).patchSize(7).width(128).depth(6).heads(4).build();

    @Test
    void everyDocumentStartsWithTheSchemaItIsWrittenIn() {
        assertThat(SpecJson.SCHEMA_VERSION).isEqualTo(2);
        assertThat(SpecJson.toJson(FASHION_MNIST_VIT)).startsWith("{\n  \"schema\": 2,\n  \"type\": \"vit\",\n");
        assertThat(SpecJson.toJson(MimRecipe.mae(FASHION_MNIST_VIT))).startsWith("{\n  \"schema\": 2,\n  \"backbone\": {\n");
        assertThat(SpecJson.toJson(FASHION_MNIST_VIT.block(0))).startsWith("{\n  \"schema\": 2,\n  \"width\": 128,\n");
        assertThat(SpecJson.toJson(Masking.randomPatches(0.75))).isEqualTo("""
                {
                  "schema": 2,
                  "type": "randomPatches",
                  "ratio": 0.75
                }""");
    }

    @Test
    void theFashionMnistMaeRecipeOfSchemaOneReadsAsTheMaeRecipe() {
        MimRecipe expected = MimRecipe.maeBuilder(FASHION_MNIST_VIT).decoder(Decoder.transformer(64, 2, 4)).build();

        assertThat(SpecJson.fromJson(FASHION_MNIST_MAE_V1, MimRecipe.class)).isEqualTo(expected);
    }

    @Test
    void theFashionMnistSimmimRecipeOfSchemaOneReadsAsTheSimmimRecipe() {
        MimRecipe expected = MimRecipe.simmimBuilder(FASHION_MNIST_VIT).masking(Masking.blocks(7, 0.6)).build();

        assertThat(SpecJson.fromJson(FASHION_MNIST_SIMMIM_V1, MimRecipe.class)).isEqualTo(expected);
    }

    @Test
    void aMigratedRecipeIsWrittenInTheNewSchema() {
        MimRecipe recipe = SpecJson.fromJson(FASHION_MNIST_MAE_V1, MimRecipe.class);

        assertThat(SpecJson.toJson(recipe))
                .startsWith("{\n  \"schema\": 2,\n  \"backbone\": {\n    \"type\": \"vit\",")
                .contains("\"mlp\": {\n      \"type\": \"gelu\",\n      \"ratio\": 4.0\n    }")
                .doesNotContain("qkvBias\": \"FUSED\",\n    \"layerScaleInit");
        assertThat(SpecJson.fromJson(SpecJson.toJson(recipe), MimRecipe.class)).isEqualTo(recipe);
    }

    @Test
    void aViTOfSchemaOneReadsAsTheSameViT() {
        assertThat(SpecJson.fromJson(SIMMIM_STYLE_VIT_V1, ViT.class)).isEqualTo(SIMMIM_STYLE_VIT);
        assertThat(SIMMIM_STYLE_VIT.attention()).isEqualTo(AttentionPart.multiHead(QkvBias.Q_AND_V));
        assertThat(SIMMIM_STYLE_VIT.mlp()).isEqualTo(MlpPart.gelu(3.0));
        assertThat(SIMMIM_STYLE_VIT.norm()).isEqualTo(NormPart.layerNorm(1e-5));
    }

    @Test
    void anExplicitSchemaOneIsMigratedLikeNoSchema() {
        String json = "{\n  \"schema\": 1," + SIMMIM_STYLE_VIT_V1.substring(1);

        assertThat(SpecJson.fromJson(json, ViT.class)).isEqualTo(SIMMIM_STYLE_VIT);
    }

    @Test
    void aBlockOfSchemaOneReadsAsTheSameBlock() {
        String json = """
                {
                  "width": 384,
                  "heads": 6,
                  "mlpRatio": 4.0,
                  "qkvBias": "Q_AND_V",
                  "layerScaleInit": 0.1,
                  "dropPath": 0.05,
                  "normEps": 1.0E-5
                }""";

        assertThat(SpecJson.fromJson(json, BlockSpec.class)).isEqualTo(new BlockSpec(384, 6,
                AttentionPart.multiHead(QkvBias.Q_AND_V), MlpPart.gelu(4.0), NormPart.layerNorm(1e-5), 0.1, 0.05));
    }

    @Test
    void aValueThatDoesNotFitInASchemaOneDocumentFailsWithTheSpecsOwnSentence() {
        String json = SIMMIM_STYLE_VIT_V1.replace("\"mlpRatio\": 3.0", "\"mlpRatio\": -3.0");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("mlp ratio -3.0 must be positive");
    }

    @Test
    void aDocumentOfANewerSchemaIsRefusedWithASentence() {
        String json = SpecJson.toJson(MimRecipe.mae(FASHION_MNIST_VIT)).replace("\"schema\": 2", "\"schema\": 3");

        assertThatThrownBy(() -> SpecJson.fromJson(json, MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("MimRecipe was written in schema 3, newer than this version of mim4j reads (2):"
                        + " use a newer mim4j");
    }

    @Test
    void aSchemaThatIsNotAVersionIsRefusedWithASentence() {
        String base = SpecJson.toJson(FASHION_MNIST_VIT);

        assertThatThrownBy(() -> SpecJson.fromJson(base.replace("\"schema\": 2", "\"schema\": 0"), ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field schema in ViT: '0' is not a schema version (a whole number from 1)");
        assertThatThrownBy(() -> SpecJson.fromJson(base.replace("\"schema\": 2", "\"schema\": 2.5"), ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field schema in ViT: '2.5' is not a schema version (a whole number from 1)");
    }
}
