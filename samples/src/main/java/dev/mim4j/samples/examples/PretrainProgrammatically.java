package dev.mim4j.samples.examples;

import java.nio.file.Path;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.MetricsLog;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.RunSummary;
import dev.mim4j.training.StepMetrics;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.TrainingListener;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.ImageFolderDataset;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.preset.BuiltInPresets;
import dev.mim4j.training.preset.Preset;

/**
 * Sample: pre-train MAE on a folder of your own images (one sub-folder per class, JPEG/PNG/BMP)
 * from Java code, with the MAE preset's settings and augmentation and a listener of your own.
 * Args: {@code <image folder> <output folder> [epochs, default 20]}.
 */
public final class PretrainProgrammatically {

    private PretrainProgrammatically() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: PretrainProgrammatically <image folder> <output folder> [epochs]");
            System.exit(2);
        }
        int epochs = args.length == 3 ? Integer.parseInt(args[2]) : 20;
        Preset mae = BuiltInPresets.MAE;
        ImageDataset images = ImageFolderDataset.open(Path.of(args[0]), 3, BadImagePolicy.SKIP_AND_COUNT);
        TrainingData data = new TrainingData(images, mae.augmentation(64, Normalize.IMAGENET),
                Transforms.eval(64, Normalize.IMAGENET), Normalize.IMAGENET, BadImagePolicy.SKIP_AND_COUNT);

        ViT vit = ViT.variant("Ti/8").image(64, 64, 3).build();
        MimRecipe recipe = mae.recipe(vit).toBuilder().decoder(Decoder.transformer(128, 2, 4)).build();
        TrainConfig config = mae.config(epochs, Math.min(64, images.size())).toBuilder().baseLearningRate(1e-3)
                .build();

        Path output = Path.of(args[1]);
        try (MetricsLog metrics = new MetricsLog(output.resolve("metrics.jsonl"))) {
            RunSummary summary = Pretrainer.start(recipe, config, data, output)
                    .presetName(mae.name())
                    .listener(metrics)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepMetrics m) {
                            if (m.step() % 50 == 0) {
                                System.out.printf("step %d loss %.4f%n", m.step(), m.loss());
                            }
                        }
                    })
                    .run();
            System.out.println("last checkpoint: " + summary.lastCheckpoint());
        }
    }
}
