package dev.mim4j.models.compile;

import dev.mim4j.dsl.stage.Stage;

/**
 * Compiles one kind of stage; register one for a stage of your own with
 * {@link Compilers#stage(Class, StageCompiler)}.
 *
 * @param <S> the stage type
 */
@FunctionalInterface
public interface StageCompiler<S extends Stage<?, ?>> {

    /**
     * A compiled stage whose parameters are registered through {@code context} under
     * {@code context.name()} and initialised as {@code context.initialization()} says.
     */
    CompiledStage compile(S stage, StageContext context);
}
