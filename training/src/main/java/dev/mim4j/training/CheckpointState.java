package dev.mim4j.training;

import dev.mim4j.dsl.recipe.MimRecipe;

/**
 * Where a run stands, besides its tensors: the recipe and config it runs, the optimiser steps done,
 * the next micro-batch to train on (its epoch and place in the epoch follow, since the data order
 * depends only on the seed and the epoch), the position in the epoch's order of the next image
 * (which differs from batch x size once unreadable images were skipped), and the steps skipped for
 * a non-finite loss. Every random
 * choice of a step is derived from the seed and the step's position, so this is the whole random
 * state too.
 */
public record CheckpointState(MimRecipe recipe, TrainConfig config, long step, long nextMicroBatch,
        int epochPosition, long skippedSteps) {
}
