package dev.mim4j.dsl.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The head that turns the encoder's tokens into a prediction of every patch's pixels. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TransformerDecoder.class, name = "transformer"),
    @JsonSubTypes.Type(value = LinearPixelDecoder.class, name = "linearPixels")
})
public sealed interface Decoder permits TransformerDecoder, LinearPixelDecoder {

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

    /** A few words for {@link MimRecipe#describe()}, e.g. "linear pixel decoder". */
    String describe();
}
