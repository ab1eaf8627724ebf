package dev.mim4j.models.parts;

import org.bytedeco.pytorch.Tensor;

/**
 * A compiled {@link dev.mim4j.dsl.part.NormPart}: normalises every token ({@code norm1}, {@code norm2}
 * in a block, {@code norm} after the last). Subclass it for a part of your own and register a
 * compiler with {@link dev.mim4j.models.compile.Compilers#norm}.
 */
public abstract class NormModule extends PartModule {

    /** {@code [..., width]} to the same shape. */
    public abstract Tensor forward(Tensor x);
}
