package dev.mim4j.models.parts;

import dev.mim4j.dsl.Initialization;
import org.bytedeco.pytorch.Tensor;

/**
 * A compiled {@link dev.mim4j.dsl.part.AttentionPart}: the token-mixing part of a block, registered
 * in it as {@code attn}. Subclass it for a part of your own and register a compiler with
 * {@link dev.mim4j.models.compile.Compilers#attention}.
 */
public abstract class AttentionModule extends PartModule {

    /**
     * @param x {@code [batch, tokens, width]}
     * @param logitBias added to the attention logits, {@code [heads, tokens, tokens]} or per sample
     *     {@code [batch, heads, tokens, tokens]}, or null
     * @return {@code [batch, tokens, width]}
     */
    public abstract Tensor forward(Tensor x, Tensor logitBias);

    /**
     * Draws the initial weights as {@code scheme} says, for the block that is layer {@code layer}
     * (counted from 1); by default the weights keep libtorch's initialisation.
     */
    public void initialize(Initialization scheme, int layer) {
    }
}
