package dev.mim4j.models.parts;

import dev.mim4j.dsl.Initialization;
import org.bytedeco.pytorch.Tensor;

/**
 * A compiled {@link dev.mim4j.dsl.part.MlpPart}: the feed-forward part of a block, registered in it
 * as {@code mlp}. Subclass it for a part of your own and register a compiler with
 * {@link dev.mim4j.models.compile.Compilers#mlp}.
 */
public abstract class MlpModule extends PartModule {

    /** {@code [batch, tokens, width]} to the same shape. */
    public abstract Tensor forward(Tensor x);

    /**
     * Draws the initial weights as {@code scheme} says, for the block that is layer {@code layer}
     * (counted from 1); by default the weights keep libtorch's initialisation.
     */
    public void initialize(Initialization scheme, int layer) {
    }
}
