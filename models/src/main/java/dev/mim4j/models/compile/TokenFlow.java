package dev.mim4j.models.compile;

import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.models.MaskSample;
import org.bytedeco.pytorch.Tensor;

/**
 * What flows between the compiled stages of an encoder: the data itself (images first, then
 * tokens {@code [batch, n, width]}) and what later stages need to know about it.
 *
 * @param data the images or tokens
 * @param mask the masks of this pass, or null when nothing is masked (features)
 * @param handling what the pass does with masked tokens, or null when nothing is masked
 * @param keptPositions {@code [batch, n]} int64 grid indices of the tokens left after masked ones
 *     were dropped, or null while every grid token is there
 * @param prefixTokens tokens in front of the grid tokens (a class token)
 * @param prefixPositions the position rows that a position table holds for prefix tokens
 *     {@code [1, prefix, width]}, for the stage that adds them; or null
 * @param logitBias a bias added to every following block's attention logits, or null
 */
public record TokenFlow(Tensor data, MaskSample mask, MaskedTokens handling, Tensor keptPositions,
        int prefixTokens, Tensor prefixPositions, Tensor logitBias) {

    /** The start of a pass over {@code images}, masked by {@code mask} handled as {@code handling}, or not. */
    public static TokenFlow of(Tensor images, MaskSample mask, MaskedTokens handling) {
        return new TokenFlow(images, mask, handling, null, 0, null, null);
    }

    /** Whether this pass handles masked tokens as {@code handling}. */
    public boolean masks(MaskedTokens handling) {
        return mask != null && this.handling == handling;
    }

    public TokenFlow withData(Tensor data) {
        return new TokenFlow(data, mask, handling, keptPositions, prefixTokens, prefixPositions, logitBias);
    }

    public TokenFlow withKeptPositions(Tensor data, Tensor keptPositions) {
        return new TokenFlow(data, mask, handling, keptPositions, prefixTokens, prefixPositions, logitBias);
    }

    public TokenFlow withPrefix(Tensor data, int prefixTokens) {
        return new TokenFlow(data, mask, handling, keptPositions, prefixTokens, prefixPositions, logitBias);
    }

    public TokenFlow withPrefixPositions(Tensor prefixPositions) {
        return new TokenFlow(data, mask, handling, keptPositions, prefixTokens, prefixPositions, logitBias);
    }

    public TokenFlow withLogitBias(Tensor logitBias) {
        return new TokenFlow(data, mask, handling, keptPositions, prefixTokens, prefixPositions, logitBias);
    }
}
