package dev.mim4j.models.mim;

import java.util.Optional;

import org.bytedeco.pytorch.Tensor;

/**
 * A compiled {@link dev.mim4j.dsl.recipe.Target}: what the decoder learns to predict for each
 * patch of a batch of images.
 */
@FunctionalInterface
public interface TargetFunction {

    /** The target of every patch, {@code [batch, tokens, D]}. */
    Tensor of(Tensor images);

    /**
     * A prediction mapped back to pixel patches {@code [batch, tokens, p * p * C]}, for reconstruction
     * pictures; empty (the default) for a target that is not pixels and has no way back to them, which is then
     * not pictured.
     */
    default Optional<Tensor> toPixels(Tensor prediction, Tensor images) {
        return Optional.empty();
    }

    /**
     * The target's own drawing of {@code values} {@code [batch, tokens, D]} (a prediction, or the target of
     * {@code images}) as grey images {@code [batch, 1, H, W]} in [0, 1], the size of {@code images}: how a target
     * with no way back to pixels is pictured (HOG as the glyphs of its histograms, say). Empty (the default) for a
     * target that draws nothing, which is then not pictured.
     */
    default Optional<Tensor> draw(Tensor values, Tensor images) {
        return Optional.empty();
    }
}
