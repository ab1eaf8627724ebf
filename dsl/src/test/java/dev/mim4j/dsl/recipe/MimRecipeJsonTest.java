package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import org.junit.jupiter.api.Test;

class MimRecipeJsonTest {

    private static final ViT VIT = ViT.variant("B/16").image(224, 224, 3).build();

    private static final String SIMMIM_JSON = SpecJson.toJson(MimRecipe.simmim(VIT));

    /**
     * Ends the list of accepted names of a family; the built-ins come first, and parts that other
     * tests register (in the same JVM) after them, so a message is checked by its start and end.
     */
    private static final String OWN_PARTS_HINT = " (a part of your own joins with SpecJson.register)";

    @Test
    void bothPresetsReadBackEqual() {
        MimRecipe mae = MimRecipe.mae(VIT);
        MimRecipe simmim = MimRecipe.simmim(VIT);

        assertThat(SpecJson.fromJson(SpecJson.toJson(mae), MimRecipe.class)).isEqualTo(mae);
        assertThat(SpecJson.fromJson(SpecJson.toJson(simmim), MimRecipe.class)).isEqualTo(simmim);
    }

    @Test
    void aMixedRecipeReadsBackEqual() {
        ViT simmimBackbone = VIT.toBuilder()
                .image(192, 192, 1)
                .qkvBias(QkvBias.Q_AND_V)
                .absolutePosition(AbsolutePosition.NONE)
                .relativePosition(RelativePosition.SHARED_BIAS)
                .classToken(false)
                .build();
        MimRecipe maeWithBlocks = MimRecipe.mae(simmimBackbone).toBuilder()
                .masking(Masking.blocks(32, 0.6))
                .decoder(Decoder.transformer(256, 2, 8))
                .loss(Loss.l1().everywhere())
                .build();

        assertThat(SpecJson.fromJson(SpecJson.toJson(maeWithBlocks), MimRecipe.class))
                .isEqualTo(maeWithBlocks);
    }

    @Test
    void explicitMaskingReadsBackEqual() {
        MimRecipe explicit = MimRecipe.mae(VIT).toBuilder().masking(Masking.explicit()).build();

        assertThat(SpecJson.fromJson(SpecJson.toJson(explicit), MimRecipe.class)).isEqualTo(explicit);
    }

    @Test
    void theDeclarationsAreWrittenAfterTheBackboneWithATypeFirst() {
        String json = SpecJson.toJson(MimRecipe.simmim(VIT));

        assertThat(json).endsWith("""
                  "masking": {
                    "type": "blocks",
                    "maskPatch": 32,
                    "ratio": 0.6
                  },
                  "maskedTokens": "REPLACE_WITH_TOKEN",
                  "decoder": {
                    "type": "linearPixels"
                  },
                  "target": {
                    "type": "pixels",
                    "perPatchNormalized": false
                  },
                  "loss": {
                    "type": "pixels",
                    "kind": "L1",
                    "maskedPatchesOnly": true
                  }
                }""");
    }

    @Test
    void aPartAloneIsWrittenWithItsType() {
        assertThat(SpecJson.toJson(Decoder.transformer(512, 8, 16))).isEqualTo("""
                {
                  "schema": 2,
                  "type": "transformer",
                  "width": 512,
                  "depth": 8,
                  "heads": 16,
                  "mlpRatio": 4.0,
                  "normEps": 1.0E-6
                }""");
        assertThat(SpecJson.fromJson("{\"type\": \"randomPatches\", \"ratio\": 0.75}", Masking.class))
                .isEqualTo(Masking.randomPatches(0.75));
    }

    @Test
    void anUnknownTypeListsTheAcceptedOnes() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"blocks\"", "\"grid\""), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("field masking.type in MimRecipe: unknown value 'grid',"
                        + " expected one of randomPatches, blocks, explicit")
                .hasMessageEndingWith(OWN_PARTS_HINT);
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"linearPixels\"", "\"conv\""), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("field decoder.type in MimRecipe: unknown value 'conv',"
                        + " expected one of transformer, linearPixels")
                .hasMessageEndingWith(OWN_PARTS_HINT);
    }

    @Test
    void aTypeThatIsNotAStringIsAnUnknownType() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"blocks\"", "1"), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("field masking.type in MimRecipe: unknown value '1',"
                        + " expected one of randomPatches, blocks, explicit")
                .hasMessageEndingWith(OWN_PARTS_HINT);
    }

    @Test
    void aMemberReadAloneAcceptsOnlyItsOwnType() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        "{\"type\": \"blocks\", \"maskPatch\": 32, \"ratio\": 0.6}", RandomPatches.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field type in RandomPatches: unknown value 'blocks',"
                        + " expected one of randomPatches");
    }

    @Test
    void aMissingTypeIsAMissingField() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"type\": \"blocks\",", ""), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("missing field masking.type in MimRecipe");
    }

    @Test
    void aMissingFieldOfATypedPartIsNamedByItsPath() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"maskPatch\": 32,", ""), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("missing field masking.maskPatch in MimRecipe");
    }

    @Test
    void aFieldOfAnotherTypeIsRejectedRatherThanIgnored() {
        String json = SIMMIM_JSON.replace(
                "\"type\": \"linearPixels\"", "\"type\": \"linearPixels\", \"width\": 3");

        assertThatThrownBy(() -> SpecJson.fromJson(json, MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("unknown field decoder.width in MimRecipe, expected one of type");
    }

    @Test
    void aPartThatDoesNotFitFailsWithItsOwnSentence() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"ratio\": 0.6", "\"ratio\": 1.5"), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("mask ratio 1.5 must be in (0, 1)");
    }

    @Test
    void aRecipeThatDoesNotFitItsBackboneFailsWithTheRecipesSentence() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"maskPatch\": 32", "\"maskPatch\": 24"), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("mask patch 24 is not a multiple of model patch 16");
    }

    @Test
    void aNullPartIsAMissingPart() {
        String json = SIMMIM_JSON.replace(
                "\"target\": {\n    \"type\": \"pixels\",\n    \"perPatchNormalized\": false\n  }",
                "\"target\": null");

        assertThatThrownBy(() -> SpecJson.fromJson(json, MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("recipe target must be given");
    }

    @Test
    void aTargetAndALossSayTheirType() {
        assertThat(SpecJson.fromJson("{\"type\": \"pixels\", \"perPatchNormalized\": true}", Target.class))
                .isEqualTo(Target.pixels().normalizedPerPatch());
        assertThat(SpecJson.fromJson(
                        "{\"type\": \"pixels\", \"kind\": \"MSE\", \"maskedPatchesOnly\": false}", Loss.class))
                .isEqualTo(Loss.mse().everywhere());
    }

    @Test
    void anUnknownLossKindListsTheAcceptedOnes() {
        assertThatThrownBy(() -> SpecJson.fromJson(
                        SIMMIM_JSON.replace("\"L1\"", "\"L2\""), MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field loss.kind in MimRecipe: unknown value 'L2', expected one of MSE, L1");
    }
}
