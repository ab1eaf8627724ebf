package dev.mim4j.models.compile;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.dsl.stage.Stage;
import dev.mim4j.models.mim.DecoderModule;
import dev.mim4j.models.mim.LossFunction;
import dev.mim4j.models.mim.TargetFunction;
import dev.mim4j.models.parts.AttentionModule;
import dev.mim4j.models.parts.MlpModule;
import dev.mim4j.models.parts.NormModule;

/**
 * The one place that turns spec parts into libtorch code: a compiler per part type, the built-in
 * ones registered here and a user's joining through the same methods. Nothing else in the library
 * looks at which part it holds; it asks this registry, which looks the part's class up.
 */
public final class Compilers {

    /** Compiles an attention part for blocks of a width and a number of heads. */
    @FunctionalInterface
    public interface AttentionCompiler<P extends AttentionPart> {
        AttentionModule compile(P part, int width, int heads);
    }

    /** Compiles an MLP part for tokens of a width. */
    @FunctionalInterface
    public interface MlpCompiler<P extends MlpPart> {
        MlpModule compile(P part, int width);
    }

    /** Compiles a norm part for tokens of a width. */
    @FunctionalInterface
    public interface NormCompiler<P extends NormPart> {
        NormModule compile(P part, int width);
    }

    /**
     * Compiles a decoder to follow a backbone that handles masked tokens as given, predicting {@code width}
     * values per token of the backbone's patch grid (the target's width).
     */
    @FunctionalInterface
    public interface DecoderCompiler<D extends Decoder> {
        DecoderModule compile(D decoder, Backbone backbone, MaskedTokens handling, int width);
    }

    /** Compiles a target for a backbone's patches. */
    @FunctionalInterface
    public interface TargetCompiler<T extends Target> {
        TargetFunction compile(T target, Backbone backbone);
    }

    /** Compiles a loss for a backbone's patches. */
    @FunctionalInterface
    public interface LossCompiler<L extends Loss> {
        LossFunction compile(L loss, Backbone backbone);
    }

    private static final Registry<StageCompiler<?>> STAGES = new Registry<>("stage", "stage");
    private static final Registry<AttentionCompiler<?>> ATTENTIONS = new Registry<>("attention part", "attention");
    private static final Registry<MlpCompiler<?>> MLPS = new Registry<>("MLP part", "mlp");
    private static final Registry<NormCompiler<?>> NORMS = new Registry<>("norm part", "norm");
    private static final Registry<DecoderCompiler<?>> DECODERS = new Registry<>("decoder", "decoder");
    private static final Registry<TargetCompiler<?>> TARGETS = new Registry<>("target", "target");
    private static final Registry<LossCompiler<?>> LOSSES = new Registry<>("loss", "loss");


    private Compilers() {
    }

    /**
     * Registers the compiler of the stages of {@code type}, replacing any before it (a built-in's too, to
     * compile a built-in part differently); the same holds for every family below.
     */
    public static <S extends Stage<?, ?>> void stage(Class<S> type, StageCompiler<? super S> compiler) {
        STAGES.put(type, compiler);
    }

    public static <P extends AttentionPart> void attention(Class<P> type, AttentionCompiler<? super P> compiler) {
        ATTENTIONS.put(type, compiler);
    }

    public static <P extends MlpPart> void mlp(Class<P> type, MlpCompiler<? super P> compiler) {
        MLPS.put(type, compiler);
    }

    public static <P extends NormPart> void norm(Class<P> type, NormCompiler<? super P> compiler) {
        NORMS.put(type, compiler);
    }

    public static <D extends Decoder> void decoder(Class<D> type, DecoderCompiler<? super D> compiler) {
        DECODERS.put(type, compiler);
    }

    public static <T extends Target> void target(Class<T> type, TargetCompiler<? super T> compiler) {
        TARGETS.put(type, compiler);
    }

    public static <L extends Loss> void loss(Class<L> type, LossCompiler<? super L> compiler) {
        LOSSES.put(type, compiler);
    }

    /** Compiles {@code stage} in its context. */
    @SuppressWarnings("unchecked")
    public static CompiledStage stage(Stage<?, ?> stage, StageContext context) {
        return ((StageCompiler<Stage<?, ?>>) STAGES.find(stage)).compile(stage, context);
    }

    @SuppressWarnings("unchecked")
    public static AttentionModule attention(AttentionPart part, int width, int heads) {
        return ((AttentionCompiler<AttentionPart>) ATTENTIONS.find(part))
                .compile(part, width, heads);
    }

    @SuppressWarnings("unchecked")
    public static MlpModule mlp(MlpPart part, int width) {
        return ((MlpCompiler<MlpPart>) MLPS.find(part)).compile(part, width);
    }

    @SuppressWarnings("unchecked")
    public static NormModule norm(NormPart part, int width) {
        return ((NormCompiler<NormPart>) NORMS.find(part)).compile(part, width);
    }

    @SuppressWarnings("unchecked")
    public static DecoderModule decoder(Decoder decoder, Backbone backbone, MaskedTokens handling, int width) {
        decoder.validate(backbone, handling, width);
        return ((DecoderCompiler<Decoder>) DECODERS.find(decoder))
                .compile(decoder, backbone, handling, width);
    }

    @SuppressWarnings("unchecked")
    public static TargetFunction target(Target target, Backbone backbone) {
        return ((TargetCompiler<Target>) TARGETS.find(target)).compile(target, backbone);
    }

    @SuppressWarnings("unchecked")
    public static LossFunction loss(Loss loss, Backbone backbone) {
        return ((LossCompiler<Loss>) LOSSES.find(loss)).compile(loss, backbone);
    }

    /** The compilers of one family, by the exact class of the part they compile. */
    private static final class Registry<C> {
        private final Map<Class<?>, C> compilers = new ConcurrentHashMap<>();
        private final String family;
        private final String method;

        Registry(String family, String method) {
            this.family = family;
            this.method = method;
        }

        void put(Class<?> type, C compiler) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(compiler, "compiler");
            // the providers first (the built-ins among them), so that this registration is the one that stays
            Parts.discover();
            compilers.put(type, compiler);
        }

        C find(Object part) {
            Objects.requireNonNull(part, "part");
            Parts.discover();
            C compiler = compilers.get(part.getClass());
            if (compiler == null) {
                throw new Mim4jException(part.getClass().getName(), "no compiler for the " + family + " "
                        + part.getClass().getName() + ": register one in a PartProvider listed in"
                        + " META-INF/services (or with Compilers." + method + "(" + part.getClass().getSimpleName()
                        + ".class, ...)) before compiling");
            }
            return compiler;
        }
    }
}
