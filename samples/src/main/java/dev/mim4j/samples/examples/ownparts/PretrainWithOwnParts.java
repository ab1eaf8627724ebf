package dev.mim4j.samples.examples.ownparts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.RunSummary;
import dev.mim4j.training.StepMetrics;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.TrainingListener;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.IdxDataset;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.NormalizationStats;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.eval.DatasetRange;
import dev.mim4j.training.eval.FeatureExtractor;
import dev.mim4j.training.eval.Features;
import dev.mim4j.training.eval.Knn;

/**
 * Sample: a recipe made of parts that mim4j does not have, declared in this package and nowhere
 * else: a centre-biased masking policy ({@link CentreBiasedMasking}) and a ViT whose blocks use a
 * SwiGLU MLP ({@link SwiGluMlp}, compiled by {@link SwiGluModule}), registered by {@link OwnParts}, a
 * PartProvider found on the class path. It pre-trains them through the
 * library's training loop on the shipped Fashion-MNIST demo images, resumes the run from a
 * checkpoint in the middle (and checks that the resumed steps repeat the uninterrupted ones
 * exactly), then kNN-evaluates the encoder loaded back from the last checkpoint.
 * Args: {@code <output folder> [train images] [epochs]}.
 */
public final class PretrainWithOwnParts {

    /** What the run shows. */
    public record Result(MimRecipe recipe, List<Double> losses, List<Double> resumedLosses, long resumedFrom,
            double knnTop1, Path lastCheckpoint) {

        /** Whether the resumed run took exactly the steps that the uninterrupted one took after its checkpoint. */
        public boolean resumedExactly() {
            return resumedLosses.equals(losses.subList((int) resumedFrom, losses.size()));
        }
    }

    private PretrainWithOwnParts() {
    }

    /** The recipe: MAE over a small ViT with SwiGLU blocks, masking centre-biased patches. */
    public static MimRecipe recipe() {
        ViT vit = ViT.builder().image(28, 28, 1).patchSize(4).width(64).depth(4).heads(4)
                .mlp(new SwiGluMlp(8.0 / 3)).build();
        return MimRecipe.mae(vit).toBuilder()
                .masking(new CentreBiasedMasking(0.75, 0.5))
                .decoder(Decoder.transformer(32, 1, 4))
                .build();
    }

    /**
     * Pre-trains {@link #recipe()} on the first {@code trainImages} demo images for {@code epochs},
     * into {@code output}; resumes it in {@code output/resumed} from the middle checkpoint; and scores
     * the encoder with a kNN of the next 1,000 demo images against the train images.
     */
    public static Result run(Path output, int trainImages, int epochs) throws IOException {
        MimRecipe recipe = recipe();      // the parts are found through OwnParts, a PartProvider on the class path
        ImageDataset demo = demoImages();
        ImageDataset train = DatasetRange.of(demo, 0, trainImages);
        ImageDataset test = DatasetRange.of(demo, trainImages, Math.min(demo.size(), trainImages + 1000));
        Normalize normalize = NormalizationStats.of(train, 1000, 0);
        TrainingData data = new TrainingData(train, Transforms.maePretrain(28, normalize),
                Transforms.eval(28, normalize), normalize, BadImagePolicy.FAIL);
        int batch = 64;
        int stepsPerEpoch = trainImages / batch;
        TrainConfig config = TrainConfig.mae(epochs, batch).toBuilder().baseLearningRate(1.5e-3).warmupEpochs(0)
                .checkpointEverySteps(Math.max(1, stepsPerEpoch * epochs / 2)).keepCheckpoints(10)
                .picturesEveryEpochs(0).build();

        List<Double> losses = new ArrayList<>();
        RunSummary whole = Pretrainer.start(recipe, config, data, output).listener(lossesInto(losses)).run();

        Path middle = Checkpoints.path(output, config.checkpointEverySteps());
        Path resumed = output.resolve("resumed");
        Files.createDirectories(resumed);
        Files.copy(middle, resumed.resolve(middle.getFileName()));
        List<Double> resumedLosses = new ArrayList<>();
        Pretrainer.resume(resumed, data, resumed).listener(lossesInto(resumedLosses)).run();

        MimModel trained = Checkpoints.loadModel(whole.lastCheckpoint());
        ImageTransform view = Transforms.eval(28, normalize);
        try (Features bank = FeatureExtractor.extract(trained.encoder(), train, view, Pooling.MEAN, 256, 1);
                Features queries = FeatureExtractor.extract(trained.encoder(), test, view, Pooling.MEAN, 256, 1)) {
            int classes = 10;
            double top1 = Knn.knn(bank, queries, classes).top1();
            return new Result(recipe, losses, resumedLosses, config.checkpointEverySteps(), top1,
                    whole.lastCheckpoint());
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: PretrainWithOwnParts <output folder> [train images, default 8000]"
                    + " [epochs, default 5]");
            System.exit(2);
        }
        Result result = run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 8000,
                args.length > 2 ? Integer.parseInt(args[2]) : 5);
        System.out.println("recipe: " + result.recipe().describe() + "; " + result.recipe().backbone().describe());
        System.out.printf("loss %.4f -> %.4f over %d steps%n", result.losses().get(0),
                result.losses().get(result.losses().size() - 1), result.losses().size());
        System.out.println("resumed from step " + result.resumedFrom() + ", same steps after it: "
                + result.resumedExactly());
        System.out.printf("kNN top-1 of the encoder: %.4f%n", result.knnTop1());
        System.out.println("last checkpoint: " + result.lastCheckpoint());
    }

    private static TrainingListener lossesInto(List<Double> losses) {
        return new TrainingListener() {
            @Override
            public void onStep(StepMetrics metrics) {
                losses.add(metrics.loss());
            }
        };
    }

    private static ImageDataset demoImages() throws IOException {
        try (InputStream images = resource("t10k-images-idx3-ubyte.gz");
                InputStream labels = resource("t10k-labels-idx1-ubyte.gz")) {
            return IdxDataset.read(images, labels, "Fashion-MNIST test split (demo data)");
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = PretrainWithOwnParts.class.getResourceAsStream("/dev/mim4j/samples/demo/" + name);
        if (in == null) {
            throw new IOException("the demo data " + name + " is missing from the classpath");
        }
        return in;
    }
}
