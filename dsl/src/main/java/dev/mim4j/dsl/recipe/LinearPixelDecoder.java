package dev.mim4j.dsl.recipe;

/**
 * SimMIM's decoder: a 1x1 convolution from the encoder width to {@code p * p * C} channels on the
 * grid of tokens, then a pixel shuffle back to image size; after {@link MaskedTokens#DROP}, a
 * learned mask token fills the places of the dropped tokens first.
 */
public record LinearPixelDecoder() implements Decoder {

    @Override
    public String describe() {
        return "linear pixel decoder";
    }
}
