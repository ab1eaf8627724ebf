package dev.mim4j.training;

import java.util.List;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;

/** Tiny recipes, data and settings for tests of the training loop: seconds, not minutes. */
final class TinyRuns {

    static final ViT VIT = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(2).heads(2).build();
    static final MimRecipe MAE = MimRecipe.mae(VIT).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build();

    private TinyRuns() {
    }

    /** 64 synthetic 16x16 RGB images with MAE's augmentation. */
    static TrainingData data(int count) {
        SyntheticDataset dataset = SyntheticDataset.of(count, new ImageSize(3, 16, 16), 5);
        Normalize normalize = Normalize.IMAGENET;
        return new TrainingData(dataset, Transforms.maePretrain(16, normalize), Transforms.eval(16, normalize),
                normalize, BadImagePolicy.FAIL);
    }

    /**
     * A listener that collects each step's loss into {@code losses} and, at step {@code crashAt} (or never
     * when negative), throws as a crash would.
     */
    static TrainingListener stepLosses(List<Double> losses, int crashAt) {
        return new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                losses.add(m.loss());
                if (m.step() == crashAt) {
                    throw new IllegalStateException("simulated crash at step " + crashAt);
                }
            }
        };
    }

    /** MAE's settings, 8 images a batch, a higher rate so that a few steps move the weights. */
    static TrainConfig config(int epochs) {
        return TrainConfig.mae(epochs, 8).toBuilder().baseLearningRate(1e-2).warmupEpochs(1)
                .picturesEveryEpochs(0).seed(21).build();
    }
}
