package dev.mim4j.samples;

import java.util.Locale;

import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.data.ImageTransform;
import dev.mim4j.training.data.Normalize;
import dev.mim4j.training.data.Transforms;

/**
 * Which paper's training settings a recipe gets: MAE's when it drops the masked tokens, SimMIM's
 * when it replaces them, whether the recipe comes from --recipe, a --spec file or a checkpoint.
 */
enum RecipeFamily {
    MAE {
        @Override
        TrainConfig config(int epochs, int batch) {
            return TrainConfig.mae(epochs, batch);
        }

        @Override
        ImageTransform augmentation(int size, Normalize normalization) {
            return Transforms.maePretrain(size, normalization);
        }
    },
    SIMMIM {
        @Override
        TrainConfig config(int epochs, int batch) {
            return TrainConfig.simmim(epochs, batch);
        }

        @Override
        ImageTransform augmentation(int size, Normalize normalization) {
            return Transforms.simmimPretrain(size, normalization);
        }
    };

    static RecipeFamily of(MimRecipe recipe) {
        return recipe.maskedTokens() == MaskedTokens.DROP ? MAE : SIMMIM;
    }

    /** The paper's optimiser settings for a run of this length and batch. */
    abstract TrainConfig config(int epochs, int batch);

    /** The paper's pre-training augmentation of square images of {@code size}. */
    abstract ImageTransform augmentation(int size, Normalize normalization);

    /** The prefix of a run's default output folder. */
    String folderPrefix() {
        return name().toLowerCase(Locale.ROOT);
    }
}
