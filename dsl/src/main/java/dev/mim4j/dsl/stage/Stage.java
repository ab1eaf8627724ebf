package dev.mim4j.dsl.stage;

/**
 * One step of a backbone that turns data of kind {@code I} into data of kind {@code O}; the kinds
 * make a wrong connection fail to compile, {@link #infer} makes a wrong size fail at build time.
 *
 * <p>Open: a stage written outside the library is compiled by the compiler registered for its class
 * in the models module.
 *
 * @param <I> the kind of data the stage takes: {@link Images}, {@link Grid} or {@link Tokens}
 * @param <O> the kind of data the stage gives
 */
public interface Stage<I, O> {

    /**
     * The shape this stage gives for {@code input}, or a {@link dev.mim4j.dsl.SpecException}
     * saying why the input does not fit.
     */
    Shape infer(Shape input);
}
