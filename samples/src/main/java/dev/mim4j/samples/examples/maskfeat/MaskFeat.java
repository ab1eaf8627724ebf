package dev.mim4j.samples.examples.maskfeat;

import java.util.Collection;
import java.util.List;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.compile.PartProvider;
import dev.mim4j.models.compile.PartRegistry;
import dev.mim4j.models.image.Compose;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Interpolation;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.data.HorizontalFlip;
import dev.mim4j.training.data.RandomResizedCrop;
import dev.mim4j.training.preset.Preset;
import dev.mim4j.training.preset.PresetProvider;

/**
 * MaskFeat (Wei et al. 2022) as a recipe of one's own: its parts (the {@link HogTarget} and the
 * {@link LinearHead}) and its preset, {@code maskfeat}, from one provider. Listed in both
 * {@code META-INF/services/dev.mim4j.models.compile.PartProvider} and
 * {@code META-INF/services/dev.mim4j.training.preset.PresetProvider}, so that {@code ./mim4j pretrain --recipe
 * maskfeat} trains it and every command reads its checkpoints.
 */
public final class MaskFeat implements PartProvider, PresetProvider {

    /**
     * MaskFeat's ViT-B pre-training as the mmpretrain configuration gives it: 40% of the patches (in blocks of
     * about 32 pixels) replaced by a mask token, the linear head to HOG, MSE on the masked patches; AdamW betas
     * 0.9/0.999, 2e-4 per 256 images, weight decay 0.05, gradients clipped at 0.02, warm-up a tenth of the run
     * (at most 30 epochs); crops of 50-100% of the image (bicubic) and horizontal flips.
     */
    public static final Preset PRESET = Preset.builder("maskfeat")
            .summary("MaskFeat: 40% of the patches replaced by a mask token, a linear head to their HOG, MSE; AdamW"
                    + " at 2e-4 per 256 images, crops of 50-100% (from the samples)")
            .recipe(MaskFeat::recipe)
            .config(MaskFeat::config)
            .augmentation(MaskFeat::augmentation)
            .build();

    @Override
    public void register(PartRegistry parts) {
        parts.target("maskfeat.hog", HogTarget.class, HogTargetFunction::compile)
                .decoder("maskfeat.linearHead", LinearHead.class, LinearHeadModule::compile);
    }

    @Override
    public Collection<Preset> presets() {
        return List.of(PRESET);
    }

    /** MaskFeat's recipe over {@code backbone}. */
    public static MimRecipe recipe(Backbone backbone) {
        return MimRecipe.on(backbone)
                .masking(Masking.blocksTiling(backbone, 32, 0.4))
                .maskedTokens(MaskedTokens.REPLACE_WITH_TOKEN)
                .decoder(new LinearHead())
                .target(HogTarget.forPatch(backbone.grid().patchSize()))
                .loss(Loss.mse().maskedOnly())
                .build();
    }

    private static TrainConfig config(int epochs, int batchSize) {
        return TrainConfig.mae(epochs, batchSize).toBuilder().baseLearningRate(2e-4).learningRateBatch(256)
                .betas(0.9, 0.999).clipGradNorm(0.02).warmupEpochs(Math.min(30, epochs / 10.0)).build();
    }

    private static ImageTransform augmentation(int size, Normalize normalization) {
        return Compose.of(new RandomResizedCrop(size, size, 0.5, 1.0, 3.0 / 4, 4.0 / 3, Interpolation.BICUBIC),
                new HorizontalFlip(0.5), normalization);
    }
}
