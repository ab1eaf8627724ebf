package dev.mim4j.training.preset;

import java.util.Collection;
import java.util.List;

import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.data.Transforms;

/** A preset of one's own as a test would write it, listed in the test class path's services file. */
public final class TinyPresetProvider implements PresetProvider {

    @Override
    public Collection<Preset> presets() {
        return List.of(Preset.builder("test.tiny").summary("MAE with a one-block decoder")
                .recipe(backbone -> MimRecipe.mae(backbone).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build())
                .config(TrainConfig::mae).augmentation(Transforms::maePretrain).build());
    }
}
