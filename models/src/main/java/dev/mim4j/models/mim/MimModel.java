package dev.mim4j.models.mim;

import static org.bytedeco.pytorch.global.torch.gather;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.TransformerDecoder;
import dev.mim4j.models.ImageInputs;
import dev.mim4j.models.ModelSummary;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Patches;
import dev.mim4j.models.vit.VisionTransformer;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.StateDict;
import dev.mim4j.models.weights.WeightLoader;
import dev.mim4j.models.weights.WeightSource;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A masked-image-modelling recipe compiled to a libtorch module: the ViT backbone ({@code encoder})
 * and the recipe's decoder ({@code decoder}), with a forward pass that masks, encodes, decodes and
 * scores as the recipe says. MAE and SimMIM are two recipes; every other combination of the same
 * parts compiles here too.
 *
 * <p>The backbone is used only through its contract ({@code patchTokens}, {@code replaceMasked},
 * {@code withPositions}, {@code encodeTokens}/{@code encodeVisible}). Weights load from and export
 * to the official layout of the code base whose decoder the recipe uses ({@link OfficialNames}).
 */
public final class MimModel extends Module {

    private final MimRecipe recipe;
    private final VisionTransformer encoder;
    private final TransformerPixelDecoder transformerDecoder;
    private final LinearPixelDecoderModule linearDecoder;

    private MimModel(MimRecipe recipe) {
        this.recipe = recipe;
        boolean drop = recipe.maskedTokens() == MaskedTokens.DROP;
        encoder = register_module("encoder", VisionTransformer.compile(recipe.backbone(), !drop));
        if (recipe.decoder() instanceof TransformerDecoder spec) {
            transformerDecoder = register_module("decoder", new TransformerPixelDecoder(recipe.backbone(), spec, drop));
            linearDecoder = null;
        } else {
            transformerDecoder = null;
            linearDecoder = register_module("decoder", new LinearPixelDecoderModule(recipe.backbone()));
        }
    }

    /**
     * Compiles the recipe, initialised as the official code does (the backbone by its spec's
     * initialisation, the decoder as its code base does), from libtorch's default generator.
     */
    public static MimModel compile(MimRecipe recipe) {
        Natives.load();
        return new MimModel(recipe);
    }

    public MimRecipe recipe() {
        return recipe;
    }

    /** The backbone, for downstream use (features, fine-tuning) after pre-training. */
    public VisionTransformer encoder() {
        return encoder;
    }

    /** A forward pass with masks drawn from {@code random} by the recipe's masking policy. */
    public MimOutput forward(Tensor images, RandomGenerator random) {
        ImageInputs.check(recipe.backbone().image(), images);
        return forward(images, MaskSampler.sample(recipe.masking(), recipe.backbone(), (int) images.size(0), random));
    }

    /** A forward pass with a given mask sample (from explicit noise or an explicit mask). */
    public MimOutput forward(Tensor images, MaskSample given) {
        ViT backbone = recipe.backbone();
        ImageInputs.check(backbone.image(), images);
        if (given.mask().size(0) != images.size(0) || given.tokens() != backbone.tokens()) {
            throw new IllegalArgumentException("mask sample is [" + given.mask().size(0) + ", " + given.tokens()
                    + "] but the images need [" + images.size(0) + ", " + backbone.tokens() + "]");
        }
        MaskSample sample = given.to(images.device());
        Tensor patches = encoder.patchTokens(images);
        Tensor latent;
        if (recipe.maskedTokens() == MaskedTokens.DROP) {
            Tensor tokens = encoder.withPositions(patches);
            Tensor idsKeep = sample.idsKeep();
            Tensor visible = gather(tokens, 1, idsKeep.unsqueeze(-1).expand(-1, -1, tokens.size(2)));
            latent = encoder.encodeVisible(visible, idsKeep);
        } else {
            latent = encoder.encodeTokens(encoder.withPositions(encoder.replaceMasked(patches, sample.mask())));
        }
        Tensor prediction = transformerDecoder != null
                ? transformerDecoder.forward(latent, sample)
                : Patches.patchify(linearDecoder.forward(latent), backbone.patchSize());
        Tensor target = ReconstructionLoss.target(Patches.patchify(images, backbone.patchSize()), recipe.target());
        Tensor loss = ReconstructionLoss.loss(prediction, target, sample.mask(), recipe.loss());
        return new MimOutput(loss, prediction, sample, latent, backbone);
    }

    /** The naming of the official checkpoints this recipe's layout follows. */
    public OfficialNames officialNames() {
        return OfficialNames.of(recipe.decoder());
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
        return ModelSummary.ofState(recipe.describe(), parameters, Map.of());
    }
}
