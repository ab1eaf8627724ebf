package dev.mim4j.training;

import dev.mim4j.dsl.recipe.MimRecipe;

/**
 * What a pre-training checkpoint says of its run: the recipe and config it runs, and where it stands
 * (as in {@link TrainingPosition}: steps done, the next micro-batch, the next image's place in its
 * epoch, the steps skipped for a non-finite loss).
 */
public record CheckpointState(MimRecipe recipe, TrainConfig config, long step, long nextMicroBatch,
        int epochPosition, long skippedSteps) {
}
