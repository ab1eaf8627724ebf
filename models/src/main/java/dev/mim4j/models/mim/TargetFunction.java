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
}
