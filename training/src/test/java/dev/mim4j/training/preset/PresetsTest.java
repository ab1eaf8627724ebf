package dev.mim4j.training.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presets as data: the papers' settings under a name, found with the presets of providers on the class path,
 * and recorded in a run's checkpoints.
 */
class PresetsTest {

    private static final ViT VIT = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(2).heads(2).build();

    @Test
    void theBuiltInPresetsAndOneFromAProviderOnTheClassPathAreFoundByName() {
        assertThat(Presets.all()).extracting(Preset::name).contains("mae", "simmim", "test.tiny")
                .isSortedAccordingTo(String::compareTo);
        assertThat(Presets.named("mae")).isSameAs(BuiltInPresets.MAE);
        assertThat(Presets.named("test.tiny").recipe(VIT).decoder()).isEqualTo(Decoder.transformer(16, 1, 2));
    }

    @Test
    void anUnknownNameIsRefusedWithTheNamesThereAre() {
        assertThatThrownBy(() -> Presets.named("beit")).isInstanceOf(Mim4jException.class)
                .hasMessageContaining("no preset is called 'beit'").hasMessageContaining("mae, simmim");
    }

    @Test
    void aSecondPresetOfATakenNameIsRefused() {
        Preset another = Preset.builder("mae").summary("not MAE").recipe(MimRecipe::simmim)
                .config(TrainConfig::simmim).augmentation(Transforms::simmimPretrain).build();

        assertThatThrownBy(() -> Presets.register(another)).isInstanceOf(Mim4jException.class)
                .hasMessageContaining("a preset called 'mae' is registered already");
        assertThat(Presets.named("mae")).isSameAs(BuiltInPresets.MAE);
    }

    @Test
    void aPresetMissingAPartOrWithANameThatCannotBeTypedIsRefused() {
        assertThatThrownBy(() -> Preset.builder("mine").summary("s").recipe(MimRecipe::mae)
                .augmentation(Transforms::maePretrain).build()).isInstanceOf(Mim4jException.class)
                .hasMessageContaining("preset 'mine' has no config");
        assertThatThrownBy(() -> Preset.builder("My Preset")).isInstanceOf(Mim4jException.class)
                .hasMessageContaining("preset name 'My Preset' is not one: a preset name is 1 to 64 lower-case letters");
    }

    @Test
    void simMimBuildsItsViTInBeitsStyleAndPicksMaskBlocksThatTileTheImage() {
        ViT styled = BuiltInPresets.SIMMIM.styleVit(ViT.builder().image(28, 28, 1).patchSize(7).width(32).depth(2)
                .heads(2)).build();
        MimRecipe recipe = BuiltInPresets.SIMMIM.recipe(styled);

        assertThat(styled.absolutePosition()).isEqualTo(AbsolutePosition.NONE);
        assertThat(styled.relativePosition()).isEqualTo(RelativePosition.SHARED_BIAS);
        assertThat(recipe.maskedTokens()).isEqualTo(MaskedTokens.REPLACE_WITH_TOKEN);
        assertThat(recipe.masking()).isEqualTo(Masking.blocks(14, 0.6));
        assertThat(BuiltInPresets.SIMMIM.config(100, 64)).isEqualTo(TrainConfig.simmim(100, 64));
    }

    @Test
    void aRunRecordsItsPresetAndAResumedRunKeepsIt(@TempDir Path dir) throws Exception {
        SyntheticDataset images = SyntheticDataset.of(16, new ImageSize(3, 16, 16), 5);
        Preset tiny = Presets.named("test.tiny");
        TrainingData data = new TrainingData(images, tiny.augmentation(16, Normalize.IMAGENET),
                Transforms.eval(16, Normalize.IMAGENET), Normalize.IMAGENET, BadImagePolicy.FAIL);
        TrainConfig config = tiny.config(1, 8).toBuilder().picturesEveryEpochs(0).build();

        Pretrainer.start(tiny.recipe(VIT), config, data, dir).presetName(tiny.name()).run();
        Pretrainer.resume(dir, data, dir).config(config.toBuilder().epochs(2).build()).run();

        assertThat(Checkpoints.readPresetName(dir)).contains("test.tiny");
        assertThat(Checkpoints.latest(dir)).hasValueSatisfying(newest ->
                assertThat(newest.getFileName().toString()).contains("00000004"));
    }
}
