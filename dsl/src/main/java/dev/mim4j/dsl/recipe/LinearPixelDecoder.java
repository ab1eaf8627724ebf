package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.check;

import dev.mim4j.dsl.Backbone;

/**
 * SimMIM's decoder: a 1x1 convolution from the encoder width to {@code stride * stride * C}
 * channels on the encoder's output grid, then a pixel shuffle back to image size, where the stride
 * is the pixels per output token (the patch size of a ViT).
 */
public record LinearPixelDecoder() implements Decoder {

    /**
     * A linear pixel decoder sees one token per place; fed the mask token in every masked place, it
     * would predict masked patches without the encoder, which would then learn nothing.
     */
    @Override
    public void validate(Backbone backbone, MaskedTokens maskedTokens, int width) {
        check(maskedTokens != MaskedTokens.DROP,
                "a linear pixel decoder cannot follow an encoder that drops the masked tokens: it predicts each"
                        + " patch from that patch's token alone, so the encoder would never see a masked patch's"
                        + " loss; replace masked tokens with a mask token, or use a transformer decoder");
        check(width == backbone.patchDim(),
                "a linear pixel decoder predicts the pixels of each patch, %d values (%dx%dx%d), but the target has"
                        + " %d per patch; use a transformer decoder, or a decoder of your own for that target",
                backbone.patchDim(), backbone.grid().patchSize(), backbone.grid().patchSize(),
                backbone.image().channels(), width);
    }

    @Override
    public String describe() {
        return "linear pixel decoder";
    }
}
