package dev.mim4j.training.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SimMIM's fine-tuning recipe for Swin: pre-trained at one window, fine-tuned at a larger one, the
 * relative bias tables resized on the way (as 192 px / window 6 goes to 224 px / window 7).
 */
class TransferFineTuneTest {

    @Test
    void aSwinPretrainedAtWindowThreeFineTunesAtWindowSix(@TempDir Path dir) throws Exception {
        Swin pretrainedSpec = Swin.builder().image(24, 24, 3).patchSize(2).embedWidth(16).depths(2, 2).heads(2, 4)
                .window(3).build();
        Normalize normalize = Normalize.IMAGENET;
        TrainingData data = new TrainingData(SyntheticDataset.of(32, new ImageSize(3, 24, 24), 3),
                Transforms.simmimPretrain(24, normalize), Transforms.eval(24, normalize), normalize,
                BadImagePolicy.FAIL);
        Path pretrained = dir.resolve("pretrained");
        Pretrainer.start(MimRecipe.simmimBuilder(pretrainedSpec).masking(Masking.blocks(4, 0.5)).build(),
                TrainConfig.simmim(1, 8).toBuilder().picturesEveryEpochs(0).build(), data, pretrained).run();

        Swin fineTuneSpec = pretrainedSpec.toBuilder().window(6).build();
        FineTuneConfig config = new FineTuneConfig(1, 8, 5e-3, 1e-6, 0, 0.05, 0.75, 0.0, Mixup.none(0.1),
                ClassifierPooling.MEAN, 4, 2);
        FineTuner tuner = FineTuner.start(fineTuneSpec, pretrained, 10, config, data, data.dataset(),
                dir.resolve("finetuned"));
        double accuracy = tuner.run();
        assertThat(accuracy).isBetween(0.0, 1.0);

        // Loading the window-3 weights into the window-6 encoder would have failed without the resize; the
        // fine-tuned checkpoint holds the new window's 11x11 offsets.
        try (SafetensorsWeights finetuned = SafetensorsWeights.open(
                Checkpoints.latest(dir.resolve("finetuned")).orElseThrow());
                PointerScope scope = new PointerScope()) {
            assertThat(finetuned.shape("model.encoder.layers.0.blocks.0.attn.relative_position_bias_table"))
                    .containsExactly(121L, 2L);
        }
    }
}
