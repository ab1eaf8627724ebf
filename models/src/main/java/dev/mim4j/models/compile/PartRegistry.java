package dev.mim4j.models.compile;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.dsl.stage.Stage;

/**
 * What a {@link PartProvider} registers its parts with: each part under its spec JSON name ({@link SpecJson}),
 * with its compiler ({@link Compilers}) where it has weights or computes something. A part whose JSON name the
 * DSL already knows (a built-in) registers its compiler alone.
 */
public final class PartRegistry {

    PartRegistry() {
    }

    /** An attention part named {@code name} in spec JSON, compiled by {@code compiler}. */
    public <P extends AttentionPart> PartRegistry attention(String name, Class<P> type,
            Compilers.AttentionCompiler<? super P> compiler) {
        SpecJson.register(AttentionPart.class, name, type);
        return attention(type, compiler);
    }

    /** The compiler of an attention part whose JSON name is known already. */
    public <P extends AttentionPart> PartRegistry attention(Class<P> type, Compilers.AttentionCompiler<? super P> compiler) {
        Compilers.attention(type, compiler);
        return this;
    }

    /** An MLP part named {@code name} in spec JSON, compiled by {@code compiler}. */
    public <P extends MlpPart> PartRegistry mlp(String name, Class<P> type, Compilers.MlpCompiler<? super P> compiler) {
        SpecJson.register(MlpPart.class, name, type);
        return mlp(type, compiler);
    }

    /** The compiler of an MLP part whose JSON name is known already. */
    public <P extends MlpPart> PartRegistry mlp(Class<P> type, Compilers.MlpCompiler<? super P> compiler) {
        Compilers.mlp(type, compiler);
        return this;
    }

    /** A norm part named {@code name} in spec JSON, compiled by {@code compiler}. */
    public <P extends NormPart> PartRegistry norm(String name, Class<P> type, Compilers.NormCompiler<? super P> compiler) {
        SpecJson.register(NormPart.class, name, type);
        return norm(type, compiler);
    }

    /** The compiler of a norm part whose JSON name is known already. */
    public <P extends NormPart> PartRegistry norm(Class<P> type, Compilers.NormCompiler<? super P> compiler) {
        Compilers.norm(type, compiler);
        return this;
    }

    /** A decoder named {@code name} in spec JSON, compiled by {@code compiler}. */
    public <D extends Decoder> PartRegistry decoder(String name, Class<D> type,
            Compilers.DecoderCompiler<? super D> compiler) {
        SpecJson.register(Decoder.class, name, type);
        return decoder(type, compiler);
    }

    /** The compiler of a decoder whose JSON name is known already. */
    public <D extends Decoder> PartRegistry decoder(Class<D> type, Compilers.DecoderCompiler<? super D> compiler) {
        Compilers.decoder(type, compiler);
        return this;
    }

    /** A target named {@code name} in spec JSON, compiled by {@code compiler}. */
    public <T extends Target> PartRegistry target(String name, Class<T> type,
            Compilers.TargetCompiler<? super T> compiler) {
        SpecJson.register(Target.class, name, type);
        return target(type, compiler);
    }

    /** The compiler of a target whose JSON name is known already. */
    public <T extends Target> PartRegistry target(Class<T> type, Compilers.TargetCompiler<? super T> compiler) {
        Compilers.target(type, compiler);
        return this;
    }

    /** A loss named {@code name} in spec JSON, compiled by {@code compiler}. */
    public <L extends Loss> PartRegistry loss(String name, Class<L> type, Compilers.LossCompiler<? super L> compiler) {
        SpecJson.register(Loss.class, name, type);
        return loss(type, compiler);
    }

    /** The compiler of a loss whose JSON name is known already. */
    public <L extends Loss> PartRegistry loss(Class<L> type, Compilers.LossCompiler<? super L> compiler) {
        Compilers.loss(type, compiler);
        return this;
    }

    /** A masking policy named {@code name} in spec JSON (it draws its masks in Java: nothing to compile). */
    public <M extends Masking> PartRegistry masking(String name, Class<M> type) {
        SpecJson.register(Masking.class, name, type);
        return this;
    }

    /** A backbone named {@code name} in spec JSON (its stages compile with the stages' compilers). */
    public <B extends Backbone> PartRegistry backbone(String name, Class<B> type) {
        SpecJson.register(Backbone.class, name, type);
        return this;
    }

    /** The compiler of a stage. */
    public <S extends Stage<?, ?>> PartRegistry stage(Class<S> type, StageCompiler<? super S> compiler) {
        Compilers.stage(type, compiler);
        return this;
    }
}
