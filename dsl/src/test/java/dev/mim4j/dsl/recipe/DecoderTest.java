package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.mim4j.dsl.BlockSpec;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecoderTest {

    @Test
    void transformerDecoderDefaultsToMaesMlpRatioAndEpsilon() {
        assertThat(Decoder.transformer(512, 8, 16)).isEqualTo(new TransformerDecoder(512, 8, 16, 4.0, 1e-6));
    }

    @Test
    void everyDecoderBlockHasAFusedBiasAndNoLayerScaleOrDropPath() {
        BlockSpec block = Decoder.transformer(512, 8, 16).block();

        assertThat(block).isEqualTo(new BlockSpec(512, 16, AttentionPart.multiHead(QkvBias.FUSED), MlpPart.gelu(4.0),
                NormPart.layerNorm(1e-6), 0, 0));
        assertThat(block.headDim()).isEqualTo(32);
        assertThat(((GeluMlp) block.mlp()).hidden(block.width())).isEqualTo(2048);
        assertThat(block.hasLayerScale()).isFalse();
    }

    @Test
    void describeNamesWidthByDepthAndHeads() {
        assertThat(Decoder.transformer(512, 8, 16).describe())
                .isEqualTo("transformer decoder 512x8 (16 heads)");
    }

    @Test
    void linearPixelDecoderHasNoFields() {
        assertThat(Decoder.linearPixels()).isEqualTo(new LinearPixelDecoder());
        assertThat(Decoder.linearPixels().describe()).isEqualTo("linear pixel decoder");
    }

    @Test
    void aLinearPixelDecoderRefusesDroppedTokensAndATransformerTakesEither() {
        ViT vit = ViT.builder().image(32, 32, 3).patchSize(8).width(64).depth(1).heads(4).build();

        assertThatThrownBy(() -> Decoder.linearPixels().validate(vit, MaskedTokens.DROP, vit.patchDim()))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("a linear pixel decoder cannot follow an encoder that drops the masked tokens");
        Decoder.linearPixels().validate(vit, MaskedTokens.REPLACE_WITH_TOKEN, vit.patchDim());
        Decoder.transformer(64, 1, 4).validate(vit, MaskedTokens.DROP, vit.patchDim());
        Decoder.transformer(64, 1, 4).validate(vit, MaskedTokens.REPLACE_WITH_TOKEN, 108);
    }

    static Stream<Arguments> invalidDecoders() {
        return Stream.of(
                invalid("zero width", "decoder width 0 must be at least 1",
                        () -> Decoder.transformer(0, 8, 16)),
                invalid("zero depth", "decoder depth 0 must be at least 1",
                        () -> Decoder.transformer(512, 0, 16)),
                invalid("zero heads", "decoder heads 0 must be at least 1",
                        () -> Decoder.transformer(512, 8, 0)),
                invalid("width not divisible by heads", "decoder width 100 is not divisible by 16 heads",
                        () -> Decoder.transformer(100, 8, 16)),
                invalid("width not a multiple of four",
                        "decoder width 30 is not a multiple of 4, which 2-D sin-cos positions need",
                        () -> Decoder.transformer(30, 2, 6)),
                invalid("negative mlp ratio", "decoder mlp ratio -1.0 must be positive",
                        () -> new TransformerDecoder(512, 8, 16, -1.0, 1e-6)),
                invalid("empty mlp",
                        "decoder mlp ratio 0.1 gives 0 hidden units for width 4; it must give at least 1",
                        () -> new TransformerDecoder(4, 1, 1, 0.1, 1e-6)),
                invalid("zero norm epsilon", "decoder norm epsilon 0.0 must be positive",
                        () -> new TransformerDecoder(512, 8, 16, 4.0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDecoders")
    void invalidDecodersAreRejectedWithASentence(ThrowingCallable build, String message) {
        assertThatThrownBy(build).isInstanceOf(SpecException.class).hasMessage(message);
    }

    private static Arguments invalid(String name, String message, ThrowingCallable build) {
        return Arguments.of(named(name, build), message);
    }
}
