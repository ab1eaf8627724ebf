package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.dsl.part.LayerNormPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.MultiHeadAttention;
import dev.mim4j.dsl.part.NormPart;
import org.junit.jupiter.api.Test;

class SpecJsonTest {

    private static final ViT SIMMIM_STYLE = ViT.variant("S/16")
            .image(192, 128, 1)
            .qkvBias(QkvBias.Q_AND_V)
            .layerScaleInit(0.1)
            .dropPathRate(0.1)
            .normEps(1e-5)
            .classToken(false)
            .absolutePosition(AbsolutePosition.NONE)
            .relativePosition(RelativePosition.SHARED_BIAS)
            .initialization(Initialization.TRUNC_NORMAL)
            .build();

    private static final String MAE_BASE_JSON = SpecJson.toJson(ViT.builder().build());

    private static final String QKV_BIAS_VALUES = "expected one of NONE, FUSED, Q_AND_V";

    @Test
    void aViTIsWrittenWithTheSchemaItsTypeAndItsFieldsInDeclarationOrder() {
        assertThat(SpecJson.toJson(ViT.builder().build())).isEqualTo("""
                {
                  "schema": 2,
                  "type": "vit",
                  "image": {
                    "height": 224,
                    "width": 224,
                    "channels": 3
                  },
                  "patchSize": 16,
                  "width": 768,
                  "depth": 12,
                  "heads": 12,
                  "attention": {
                    "type": "multiHead",
                    "qkvBias": "FUSED"
                  },
                  "mlp": {
                    "type": "gelu",
                    "ratio": 4.0
                  },
                  "norm": {
                    "type": "layerNorm",
                    "eps": 1.0E-6
                  },
                  "layerScaleInit": 0.0,
                  "dropPathRate": 0.0,
                  "classToken": true,
                  "absolutePosition": "SIN_COS_2D",
                  "relativePosition": "NONE",
                  "initialization": "XAVIER_UNIFORM"
                }""");
    }

    @Test
    void aViTReadsBackEqual() {
        assertThat(SpecJson.fromJson(SpecJson.toJson(SIMMIM_STYLE), ViT.class)).isEqualTo(SIMMIM_STYLE);
    }

    @Test
    void aBlockSpecReadsBackEqual() {
        BlockSpec block = SIMMIM_STYLE.block(7);

        String json = SpecJson.toJson(block);

        assertThat(json).startsWith("{\n  \"schema\": 2,\n  \"width\": 384,\n  \"heads\": 6,");
        assertThat(SpecJson.fromJson(json, BlockSpec.class)).isEqualTo(block);
    }

    @Test
    void aValueThatDoesNotFitFailsWithTheSpecsOwnSentence() {
        String json = MAE_BASE_JSON.replace("\"height\": 224", "\"height\": 225");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("image height 225 is not a multiple of patch size 16");
    }

    @Test
    void aNestedValueThatDoesNotFitFailsWithTheSpecsOwnSentence() {
        String json = MAE_BASE_JSON.replace("\"channels\": 3", "\"channels\": 0");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("image channels 0 must be at least 1");
    }

    @Test
    void anUnknownEnumValueListsTheAcceptedOnes() {
        String json = MAE_BASE_JSON.replace("\"FUSED\"", "\"BOTH\"");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field attention.qkvBias in ViT: unknown value 'BOTH', " + QKV_BIAS_VALUES);
    }

    @Test
    void anUnknownFieldIsRejectedRatherThanIgnored() {
        String json = "{\"height\": 224, \"width\": 224, \"channels\": 3, \"depth\": 3}";

        assertThatThrownBy(() -> SpecJson.fromJson(json, ImageSpec.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("unknown field depth in ImageSpec, expected one of height, width, channels");
    }

    @Test
    void anUnknownNestedFieldIsNamedByItsPath() {
        String json = MAE_BASE_JSON.replace("\"channels\": 3", "\"channels\": 3, \"frames\": 16");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("unknown field image.frames in ViT, expected one of height, width, channels");
    }

    @Test
    void aMissingFieldIsRejectedRatherThanDefaulted() {
        String json = "{\"height\": 224, \"width\": 224}";

        assertThatThrownBy(() -> SpecJson.fromJson(json, ImageSpec.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("missing field channels in ImageSpec");
    }

    @Test
    void aMissingNestedFieldIsNamedByItsPath() {
        String json = MAE_BASE_JSON.replace(",\n    \"channels\": 3", "");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("missing field image.channels in ViT");
    }

    @Test
    void numbersAreNotCoercedIntoOtherTypes() {
        assertThatThrownBy(() -> SpecJson.fromJson(MAE_BASE_JSON.replace("16", "16.5"), ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("field patchSize in ViT: ");
        assertThatThrownBy(() -> SpecJson.fromJson(MAE_BASE_JSON.replace("16", "\"16\""), ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("field patchSize in ViT: ");
        assertThatThrownBy(() -> SpecJson.fromJson(MAE_BASE_JSON.replace("\"FUSED\"", "1"), ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field attention.qkvBias in ViT: unknown value '1', " + QKV_BIAS_VALUES);
    }

    @Test
    void anUnknownPartTypeListsTheAcceptedOnes() {
        String json = MAE_BASE_JSON.replace("\"layerNorm\"", "\"rmsNorm\"");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("field norm.type in ViT: unknown value 'rmsNorm', expected one of layerNorm")
                .hasMessageEndingWith(" (a part of your own joins with SpecJson.register)");
    }

    @Test
    void aViTReadAloneMustSayItIsAViT() {
        assertThatThrownBy(() -> SpecJson.fromJson(MAE_BASE_JSON.replace("\"type\": \"vit\",", ""), ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("missing field type in ViT");
        assertThatThrownBy(() -> SpecJson.fromJson(MAE_BASE_JSON.replace("\"vit\"", "\"swin\""), ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field type in ViT: unknown value 'swin', expected one of vit");
    }

    @Test
    void aViTReadsBackAsABackbone() {
        assertThat(SpecJson.fromJson(MAE_BASE_JSON, Backbone.class)).isEqualTo(ViT.builder().build());
    }

    @Test
    void theBuiltInPartsAreRegisteredUnderTheirNames() {
        assertThat(SpecJson.registered(Backbone.class)).containsEntry("vit", ViT.class);
        assertThat(SpecJson.registered(AttentionPart.class)).containsEntry("multiHead", MultiHeadAttention.class);
        assertThat(SpecJson.registered(MlpPart.class)).containsEntry("gelu", GeluMlp.class);
        assertThat(SpecJson.registered(NormPart.class)).containsEntry("layerNorm", LayerNormPart.class);
        assertThatThrownBy(() -> SpecJson.registered(ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("ViT is not a part family");
    }

    @Test
    void malformedJsonIsASpecException() {
        assertThatThrownBy(() -> SpecJson.fromJson("{\"height\": ", ImageSpec.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("cannot read ImageSpec from JSON: ");
        assertThatThrownBy(() -> SpecJson.fromJson("null", ImageSpec.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("expected ImageSpec in JSON, found null or nothing");
    }
}
