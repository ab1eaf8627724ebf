package dev.mim4j.dsl.stage;

/**
 * One step of a model that turns data of kind {@code I} into data of kind {@code O}; the kinds
 * make a wrong connection fail to compile, {@link #infer} makes a wrong size fail at build time.
 *
 * @param <I> the kind of data the stage takes, {@link Images} or {@link Tokens}
 * @param <O> the kind of data the stage gives
 */
public sealed interface Stage<I, O>
        permits Patchify, Unpatchify, TransformerBlock, LayerNorm, Linear, AddPositions,
                PrependClassToken {

    /**
     * The shape this stage gives for {@code input}, or a {@link dev.mim4j.dsl.SpecException}
     * saying why the input does not fit.
     */
    Shape infer(Shape input);
}
