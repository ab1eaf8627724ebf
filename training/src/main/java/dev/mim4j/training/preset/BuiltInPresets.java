package dev.mim4j.training.preset;

import java.util.Collection;
import java.util.List;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.data.Transforms;

/** The papers' presets that ship with mim4j, registered through the same provider route as one's own. */
public final class BuiltInPresets implements PresetProvider {

    /**
     * MAE (He et al. 2021): 75% of the patches dropped, an 8-block 512-wide decoder, per-patch normalised pixels,
     * MSE; AdamW betas 0.9/0.95 at 1.5e-4 per 256 images; crops of 20-100% of the image.
     */
    public static final Preset MAE = Preset.builder("mae")
            .summary("MAE: 75% of the patches dropped, a transformer decoder, normalised pixels, MSE; AdamW at"
                    + " 1.5e-4 per 256 images, crops of 20-100%")
            .recipe(MimRecipe::mae)
            .config(TrainConfig::mae)
            .augmentation(Transforms::maePretrain)
            .build();

    /**
     * SimMIM (Xie et al. 2021) on a ViT as the paper builds it (BEiT's: q and v biases, layer scale 0.1, one
     * relative position bias shared by the blocks, no absolute positions, drop path 0.1) or on a Swin as it is:
     * 60% of 32x32 blocks replaced by a mask token (smaller blocks where 32 does not tile the image into at least
     * 4), a linear pixel decoder, raw pixels, L1; AdamW betas 0.9/0.999 at 2e-4 per 512 images, clipping at 5
     * (the paper's 100-epoch schedule, whose settings its ViT and Swin configurations share); crops of 67-100%.
     */
    public static final Preset SIMMIM = Preset.builder("simmim")
            .summary("SimMIM: 60% of the patches in blocks replaced by a mask token, a linear decoder, pixels, L1;"
                    + " a ViT in BEiT's style or a Swin; AdamW at 2e-4 per 512 images, crops of 67-100%")
            .vitStyle(vit -> vit.qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1).absolutePosition(AbsolutePosition.NONE)
                    .relativePosition(RelativePosition.SHARED_BIAS).initialization(Initialization.TRUNC_NORMAL)
                    .dropPathRate(0.1))
            .recipe(backbone -> MimRecipe.simmimBuilder(backbone)
                    .masking(Masking.blocksTiling(backbone, 32, 0.6)).build())
            .config(TrainConfig::simmim)
            .augmentation(Transforms::simmimPretrain)
            .build();

    @Override
    public Collection<Preset> presets() {
        return List.of(MAE, SIMMIM);
    }
}
