package dev.mim4j.training;

import dev.mim4j.models.MaskSample;

/**
 * The masks of each pre-training step, given by the caller instead of drawn by the model's masking
 * policy: for {@link dev.mim4j.dsl.recipe.ExplicitMasking}, or to replay the masks of another run.
 */
@FunctionalInterface
public interface StepMasks {

    /**
     * The masks of micro-batch {@code microBatch} ({@code -1} for the reconstruction pictures), one per
     * image of the batch. It must depend on its arguments only, so that a resumed run gets the same masks. In a
     * data-parallel run every rank asks for the same micro-batch, for the images of its own shard.
     */
    MaskSample masks(long microBatch, int batch);
}
