package dev.mim4j.samples;

import java.util.Locale;
import java.util.function.BiFunction;

import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.data.Transforms;

/**
 * Which paper's training settings a recipe gets: MAE's when it drops the masked tokens, SimMIM's
 * when it replaces them, whether the recipe comes from --recipe, a --spec file or a checkpoint.
 */
enum RecipeFamily {
    MAE(TrainConfig::mae, Transforms::maePretrain),
    SIMMIM(TrainConfig::simmim, Transforms::simmimPretrain);

    private final BiFunction<Integer, Integer, TrainConfig> config;
    private final BiFunction<Integer, Normalize, ImageTransform> augmentation;

    RecipeFamily(BiFunction<Integer, Integer, TrainConfig> config,
            BiFunction<Integer, Normalize, ImageTransform> augmentation) {
        this.config = config;
        this.augmentation = augmentation;
    }

    static RecipeFamily of(MimRecipe recipe) {
        return recipe.maskedTokens() == MaskedTokens.DROP ? MAE : SIMMIM;
    }

    /** The paper's optimiser settings for a run of this length and batch. */
    TrainConfig config(int epochs, int batch) {
        return config.apply(epochs, batch);
    }

    /** The paper's pre-training augmentation of square images of {@code size}. */
    ImageTransform augmentation(int size, Normalize normalization) {
        return augmentation.apply(size, normalization);
    }

    /** The prefix of a run's default output folder. */
    String folderPrefix() {
        return name().toLowerCase(Locale.ROOT);
    }
}
