package dev.mim4j.dsl.recipe;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mim4j.dsl.Backbone;

/**
 * The head that turns the encoder's tokens into a prediction of every patch. Open: a decoder
 * written outside the library implements this interface, registers a compiler in the models
 * module, and joins spec JSON with {@link dev.mim4j.dsl.SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface Decoder {

    /**
     * MAE's decoder of {@code depth} blocks of {@code width} with {@code heads} heads, MLP ratio 4
     * and norm epsilon 1e-6.
     */
    static TransformerDecoder transformer(int width, int depth, int heads) {
        return new TransformerDecoder(width, depth, heads, 4.0, 1e-6);
    }

    /** SimMIM's decoder: a 1x1 convolution to each patch's pixels, then a pixel shuffle. */
    static LinearPixelDecoder linearPixels() {
        return new LinearPixelDecoder();
    }

    /**
     * Checks that the decoder can follow {@code backbone} when it handles masked tokens as
     * {@code maskedTokens} and predict {@code width} values per token of the backbone's patch grid (the
     * target's {@link Target#width}), or throws a {@link dev.mim4j.dsl.SpecException} saying why not.
     */
    void validate(Backbone backbone, MaskedTokens maskedTokens, int width);

    /** A few words for {@link MimRecipe#describe()}, e.g. "linear pixel decoder". */
    String describe();
}
