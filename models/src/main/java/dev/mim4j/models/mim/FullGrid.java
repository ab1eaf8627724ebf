package dev.mim4j.models.mim;

import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.gather;

import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.MaskSample;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The whole token grid back from an encoder that dropped the masked tokens, for a decoder of one's own as for
 * MAE's: the dropped places filled with a mask token, and every token put back in its grid place (MAE's
 * {@code ids_restore}). Tokens that are already the whole grid come back as they are.
 */
public final class FullGrid {

    private FullGrid() {
    }

    /**
     * @param tokens {@code [batch, prefix + kept, width]}, the visible tokens in the sample's shuffle order (or
     *     {@code [batch, prefix + tokens, width]}, the whole grid already)
     * @param sample the masks of the pass
     * @param maskToken {@code [1, 1, width]}, the decoder's learned mask token
     * @param prefix the tokens before the grid (a cls token), kept first and in place
     * @return {@code [batch, prefix + tokens, width]} in grid order
     * @throws Mim4jException when the widths of the tokens and the mask token differ
     */
    public static Tensor restore(Tensor tokens, MaskSample sample, Tensor maskToken, int prefix) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(maskToken, "maskToken");
        long batch = tokens.size(0);
        long width = tokens.size(2);
        long gridTokens = sample.tokens();
        if (maskToken.size(-1) != width) {
            throw new Mim4jException("maskToken", "the mask token is " + maskToken.size(-1) + " wide but the tokens are "
                    + width);
        }
        Tensor patches = tokens.narrow(1, prefix, tokens.size(1) - prefix);
        if (patches.size(1) >= gridTokens) {
            return tokens;
        }
        Tensor fill = maskToken.expand(batch, gridTokens - patches.size(1), width);
        Tensor shuffled = cat(new TensorVector(patches, fill), 1);
        Tensor ordered = gather(shuffled, 1, sample.idsRestore().unsqueeze(-1).expand(batch, gridTokens, width));
        return prefix > 0 ? cat(new TensorVector(tokens.narrow(1, 0, prefix), ordered), 1) : ordered;
    }
}
