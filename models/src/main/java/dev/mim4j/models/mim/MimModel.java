package dev.mim4j.models.mim;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.ParameterFloor;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.ImageInputs;
import dev.mim4j.models.MachineMemory;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.ModelSummary;
import dev.mim4j.models.Natives;
import dev.mim4j.models.OwnedResults;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.parts.PartModule;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.StateDict;
import dev.mim4j.models.weights.WeightLoader;
import dev.mim4j.models.weights.WeightSource;
import org.bytedeco.pytorch.Tensor;

/**
 * A masked-image model: an encoder ({@code encoder}), a decoder ({@code decoder}), an objective and
 * a masking policy, with a forward pass that masks, encodes, decodes and scores. MAE and SimMIM are
 * two recipes compiled into one ({@link #compile}); a model can also be put together from parts
 * built by hand ({@link #assemble}).
 *
 * <p>The encoder is used only through its contract ({@link Encoder#encodeMasked}). Weights load from
 * and export to the official layout that the decoder declares ({@link DecoderModule#layout()}).
 *
 * <p>Native memory: {@code forward} frees what it makes along the way and returns a {@link MimOutput} the
 * caller owns (close it, or let an enclosing {@link org.bytedeco.javacpp.PointerScope} free it); the model's own
 * weights live until {@code close()}.
 */
public final class MimModel extends PartModule {

    private final MimRecipe recipe;
    private final Encoder encoder;
    private final DecoderModule decoder;
    private final Objective objective;
    private final Masking masking;
    private final MaskedTokens maskedTokens;
    private final String description;

    private MimModel(MimRecipe recipe, Encoder encoder, DecoderModule decoder, Objective objective, Masking masking,
            MaskedTokens maskedTokens, String description) {
        this.recipe = recipe;
        this.encoder = encoder;
        this.decoder = decoder;
        this.objective = objective;
        this.masking = masking;
        this.maskedTokens = maskedTokens;
        this.description = description;
        child("encoder", encoder.module());
        child("decoder", decoder);
    }

    /**
     * Compiles the recipe with the compilers registered for its parts, initialised as the official
     * code does (the backbone by its spec's initialisation, the decoder as its code base does), from
     * libtorch's default generator.
     */
    public static MimModel compile(MimRecipe recipe) {
        Objects.requireNonNull(recipe, "recipe");
        MachineMemory.checkWeightsFit(ParameterFloor.of(recipe), "the recipe's model");
        Natives.load();
        Backbone backbone = recipe.backbone();
        VisionTransformer encoder = VisionTransformer.compile(backbone, recipe.maskedTokens());
        DecoderModule decoder = Compilers.decoder(recipe.decoder(), backbone, recipe.maskedTokens(),
                recipe.target().width(backbone));
        return new MimModel(recipe, encoder, decoder, Objective.of(recipe.target(), recipe.loss(), backbone),
                recipe.masking(), recipe.maskedTokens(), recipe.describe());
    }

    /**
     * A model of parts built by hand: any encoder (compiled or written), any decoder module, an
     * objective and a masking policy. It has no recipe, so a checkpoint of it resumes only into a
     * model assembled the same way.
     *
     * @throws dev.mim4j.dsl.SpecException if the masking does not fit the encoder's grid or the encoder
     *     cannot handle masked tokens as asked
     */
    public static MimModel assemble(Encoder encoder, DecoderModule decoder, Objective objective, Masking masking,
            MaskedTokens maskedTokens) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("encoder", encoder);
        parts.put("decoder", decoder);
        parts.put("objective", objective);
        parts.put("masking policy", masking);
        parts.put("masked-token handling", maskedTokens);
        parts.forEach((part, value) -> {
            if (value == null) {
                throw new Mim4jException(part, "an assembled model needs its " + part + "; none was given");
            }
        });
        Natives.load();
        masking.validate(encoder.spec().grid());
        encoder.spec().checkHandles(maskedTokens);
        return new MimModel(null, encoder, decoder, objective, masking, maskedTokens, masking.describe() + ", "
                + maskedTokens.describe() + ", " + decoder.getClass().getSimpleName() + " (assembled)");
    }

    /** The recipe it was compiled from; empty for an assembled model. */
    public Optional<MimRecipe> recipe() {
        return Optional.ofNullable(recipe);
    }

    /** The backbone spec of its encoder. */
    public Backbone backbone() {
        return encoder.spec();
    }

    /** The encoder, for downstream use (features, fine-tuning) after pre-training. */
    public Encoder encoder() {
        return encoder;
    }

    public Masking masking() {
        return masking;
    }

    public MaskedTokens maskedTokens() {
        return maskedTokens;
    }

    public Objective objective() {
        return objective;
    }

    /** One line for logs: the recipe's description, or the parts' of an assembled model. */
    public String describe() {
        return description;
    }

    /** A forward pass with masks drawn from {@code random} by the model's masking policy. */
    public MimOutput forward(Tensor images, RandomGenerator random) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(random, "random");
        ImageInputs.check(backbone().image(), images);
        return OwnedResults.of(() -> forward(images, MaskSample.draw(masking, backbone().grid(),
                (int) images.size(0), random)), MimOutput::tensors);
    }

    /** A forward pass with a given mask sample (from explicit noise or an explicit mask). */
    public MimOutput forward(Tensor images, MaskSample given) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(given, "given");
        Backbone backbone = backbone();
        ImageInputs.check(backbone.image(), images);
        if (given.mask().size(0) != images.size(0) || given.tokens() != backbone.tokens()) {
            throw new Mim4jException("sample", "mask sample is [" + given.mask().size(0) + ", " + given.tokens()
                    + "] but the images need [" + images.size(0) + ", " + backbone.tokens() + "]");
        }
        return OwnedResults.of(() -> {
            MaskSample moved = given.to(images.device());
            // the output is the caller's to close: it must not hold the caller's own handles
            MaskSample sample = moved == given ? given.withOwnHandles() : moved;
            Tensor latent = encoder.encodeMasked(images, sample, maskedTokens);
            Tensor prediction = decoder.forward(latent, sample);
            Tensor loss = objective.loss(prediction, images, sample.mask());
            return new MimOutput(loss, prediction, sample, latent, backbone);
        }, MimOutput::tensors);
    }

    /**
     * Its parameters' roles under its own names: the encoder's layers and tokens, and the decoder's
     * tokens (the decoder counts with the last layer).
     */
    public ParameterRoles parameterRoles() {
        ParameterRoles decoderTokens = new ParameterRoles(decoder.tokenParameters(), Map.of(), 1).under("decoder.");
        return encoder.parameterRoles().under("encoder.").with(decoderTokens);
    }

    /** The naming of the official checkpoints its layout follows. */
    public OfficialNames officialNames() {
        return decoder.layout();
    }

    /** Parameters and buffers under the official names, e.g. to write with {@code SafetensorsExport}. */
    public Map<String, Tensor> officialState() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        OfficialNames names = officialNames();
        StateDict.of(this).forEach((name, tensor) -> state.put(names.official(name), tensor));
        return state;
    }

    /**
     * Loads a checkpoint in the official layout (an official MAE {@code .pth}, a SimMIM checkpoint,
     * or one mim4j wrote), strictly or leniently; the report uses the checkpoint's names.
     */
    public LoadReport load(WeightSource source, boolean strict) throws IOException {
        return load(strict ? WeightLoader.strict() : WeightLoader.lenient(), source);
    }

    /** Loads with a configured loader (e.g. one reading under a prefix), in the official layout. */
    public LoadReport load(WeightLoader loader, WeightSource source) throws IOException {
        return loader.withNames(officialNames()::official).load(this, source);
    }

    /** Parameters per part, under the official names, with the recipe as title. */
    public ModelSummary summary() {
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        OfficialNames names = officialNames();
        StateDict.parameters(this).forEach((name, tensor) -> parameters.put(names.official(name), tensor));
        return ModelSummary.ofState(description, parameters, Map.of());
    }
}
