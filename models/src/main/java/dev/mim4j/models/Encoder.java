package dev.mim4j.models;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.recipe.MaskedTokens;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The encoder contract that every recipe, the training loop and every evaluation use: images to
 * tokens, with or without masks, and the facts about its parameters that optimisers need. No caller
 * reaches into an encoder's fields or parses its parameter names.
 *
 * <p>{@link dev.mim4j.models.backbone.VisionTransformer} is the implementation compiled from any
 * {@link Backbone}'s pipeline; an encoder written by hand implements this interface on a
 * {@link Module} subclass.
 *
 * <p>Native memory: every call frees the tensors it makes along the way and returns a tensor the caller
 * owns: close it (try-with-resources), or let an enclosing {@link org.bytedeco.javacpp.PointerScope} free
 * it. Gradients flow through it when grad mode is on (fine-tuning); for inference, {@link dev.mim4j.models.inference.ImageEncoder}
 * returns Java arrays and needs neither.
 */
public interface Encoder {

    /** The backbone spec it implements. */
    Backbone spec();

    /** The module holding its parameters (usually the encoder itself). */
    Module module();

    /** Features of whole images, {@code [batch, prefix + tokens, width]}; never masks. */
    Tensor encode(Tensor images);

    /**
     * Features after the first {@code blocks} blocks, then the final norm (timm's
     * {@code forward_intermediates(norm=True)}); {@code encode(images, depth())} is {@link #encode(Tensor)}.
     *
     * @throws Mim4jException if {@code blocks} is not in [1, depth()]
     */
    Tensor encode(Tensor images, int blocks);

    /** The number of blocks whose output {@link #encode(Tensor, int)} can take. */
    int depth();

    /**
     * The tokens of masked images: masked tokens dropped ({@code [batch, prefix + kept, width]}, in
     * the sample's shuffle order) or replaced by the mask token ({@code [batch, prefix + tokens, width]}).
     *
     * @throws IllegalStateException if the encoder was not built for {@code handling}
     */
    Tensor encodeMasked(Tensor images, MaskSample sample, MaskedTokens handling);

    /** Which parameters are tokens and which layer each belongs to, by the module's own names. */
    ParameterRoles parameterRoles();

    /**
     * Checks that features can be taken after {@code blocks} blocks.
     *
     * @throws Mim4jException naming the value and the range, if they cannot
     */
    default void checkBlocks(int blocks) {
        if (blocks < 1 || blocks > depth()) {
            throw new Mim4jException("blocks", "features after block " + blocks + ": the encoder ("
                    + spec().describe() + ") has blocks 1 to " + depth());
        }
    }
}
