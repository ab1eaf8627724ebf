package dev.mim4j.training.preset;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.TrainConfig;

/**
 * A paper's pre-training settings under one name: how it builds a ViT, its recipe over a backbone, its optimiser
 * settings ({@link TrainConfig}) and its augmentation. The command-line tool's {@code --recipe NAME} resolves one
 * ({@link Presets#named}); a run records its preset's name in its checkpoints, so that a resumed run trains with
 * the same augmentation. The built-ins are {@link BuiltInPresets#MAE} and {@link BuiltInPresets#SIMMIM}; a preset
 * of one's own joins them through a {@link PresetProvider}.
 *
 * <pre>{@code
 * Preset maskFeat = Preset.builder("maskfeat")
 *         .summary("MaskFeat: HOG of masked patches")
 *         .recipe(backbone -> MimRecipe.on(backbone)...build())
 *         .config(TrainConfig::simmim)
 *         .augmentation(Transforms::simmimPretrain)
 *         .build();
 * }</pre>
 */
public final class Preset {

    private final String name;
    private final String summary;
    private final UnaryOperator<ViT.Builder> vitStyle;
    private final Function<Backbone, MimRecipe> recipe;
    private final ConfigDefaults config;
    private final Augmentation augmentation;

    private Preset(Builder b) {
        this.name = b.name;
        this.summary = b.summary;
        this.vitStyle = b.vitStyle;
        this.recipe = b.recipe;
        this.config = b.config;
        this.augmentation = b.augmentation;
    }

    /** A preset called {@code name} ({@link Checkpoints#checkPresetName}), as typed after {@code --recipe}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Its name, as typed after {@code --recipe}. */
    public String name() {
        return name;
    }

    /** One line saying what it trains, for {@code --help}. */
    public String summary() {
        return summary;
    }

    /** {@code vit} set up as this preset's paper builds its ViT (SimMIM: BEiT's relative positions, say). */
    public ViT.Builder styleVit(ViT.Builder vit) {
        Objects.requireNonNull(vit, "vit");
        return vitStyle.apply(vit);
    }

    /** This preset's recipe over {@code backbone}. */
    public MimRecipe recipe(Backbone backbone) {
        Objects.requireNonNull(backbone, "backbone");
        return recipe.apply(backbone);
    }

    /** Its optimiser settings for a run of {@code epochs} epochs of {@code batchSize} images per step. */
    public TrainConfig config(int epochs, int batchSize) {
        return config.config(epochs, batchSize);
    }

    /** Its pre-training augmentation of square images of {@code size}, ending with {@code normalization}. */
    public ImageTransform augmentation(int size, Normalize normalization) {
        return augmentation.augmentation(size, normalization);
    }

    @Override
    public String toString() {
        return name;
    }

    /** A preset's optimiser settings as a function of the run's length and batch ({@code TrainConfig::mae}). */
    @FunctionalInterface
    public interface ConfigDefaults {
        /** The settings of a run of {@code epochs} epochs of {@code batchSize} images per step. */
        TrainConfig config(int epochs, int batchSize);
    }

    /** A preset's pre-training augmentation of square images ({@code Transforms::maePretrain}). */
    @FunctionalInterface
    public interface Augmentation {
        /** The augmentation of square images of {@code size}, ending with {@code normalization}. */
        ImageTransform augmentation(int size, Normalize normalization);
    }

    /** Collects a preset's parts; {@link #build()} checks that each is given. */
    public static final class Builder {
        private final String name;
        private String summary;
        private UnaryOperator<ViT.Builder> vitStyle = UnaryOperator.identity();
        private Function<Backbone, MimRecipe> recipe;
        private ConfigDefaults config;
        private Augmentation augmentation;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            this.name = Checkpoints.checkPresetName(name);
        }

        /** One line saying what it trains. */
        public Builder summary(String summary) {
            this.summary = Objects.requireNonNull(summary, "summary");
            return this;
        }

        /** How the preset sets up a ViT it is asked to train (unchanged if not given). */
        public Builder vitStyle(UnaryOperator<ViT.Builder> vitStyle) {
            this.vitStyle = Objects.requireNonNull(vitStyle, "vitStyle");
            return this;
        }

        /** Its recipe over a backbone. */
        public Builder recipe(Function<Backbone, MimRecipe> recipe) {
            this.recipe = Objects.requireNonNull(recipe, "recipe");
            return this;
        }

        /** Its optimiser settings. */
        public Builder config(ConfigDefaults config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Its pre-training augmentation. */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
            return this;
        }

        /**
         * The preset.
         *
         * @throws Mim4jException naming the first part not given
         */
        public Preset build() {
            missing("summary", summary);
            missing("recipe", recipe);
            missing("config", config);
            missing("augmentation", augmentation);
            return new Preset(this);
        }

        private void missing(String field, Object value) {
            if (value == null) {
                throw new Mim4jException("preset " + field, "preset '" + name + "' has no " + field + "; give one"
                        + " with Preset.Builder." + field + "(...)");
            }
        }
    }
}
