package dev.mim4j.samples;

import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.eval.Features;
import dev.mim4j.training.eval.LinearProbe;
import dev.mim4j.training.eval.LinearProbeConfig;
import dev.mim4j.training.eval.LinearProbeResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Measures frozen features with MAE's linear probe. */
@Command(name = "linprobe", mixinStandardHelpOptions = true,
        description = "Trains MAE's linear probe (BatchNorm without affine parameters and a Linear, LARS, warm-up"
                + " and half-cosine) on the frozen features of the train images, prints each epoch's loss and test"
                + " accuracy, then one JSON line with the accuracy, the settings and the wall time. Give one of"
                + " --checkpoint, --random-init or --pixels; the data defaults to the shipped Fashion-MNIST demo, its"
                + " first 8,000 images to train and its last 2,000 to test.")
final class LinearProbeCommand implements Callable<Integer> {

    @Mixin
    FeatureSource source;

    @Mixin
    TrainTestSplits data;

    @Option(names = "--epochs", defaultValue = "90", description = "Epochs (default: ${DEFAULT-VALUE}, MAE's).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.1", description = "Base learning rate per 256 images (default:"
            + " ${DEFAULT-VALUE}, MAE's, which expects ImageNet's thousands of steps; LARS moves the weights by"
            + " about lr / 1000 of their norm a step, so small data wants a larger rate).")
    double baseLearningRate;

    @Option(names = "--batch", defaultValue = "256", description = "Features per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", description = "Warm-up epochs (default: MAE's 10 of 90, in proportion for shorter"
            + " runs).")
    Double warmupEpochs;

    @Option(names = "--weight-decay", defaultValue = "0", description = "LARS weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--extract-batch", defaultValue = "64", description = "Images per encoder pass"
            + " (default: ${DEFAULT-VALUE}).")
    int extractBatch;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        LinearProbeConfig config = new LinearProbeConfig(epochs, batch, baseLearningRate,
                warmupEpochs != null ? warmupEpochs : LinearProbeConfig.mae(epochs).warmupEpochs(), weightDecay,
                source.seed);
        TrainTest sets = data.datasets();
        source.prepare(sets.size());
        Normalize normalize = source.normalization(sets.train(), data.format);
        try (Features train = source.extract(sets.train(), normalize, sets.size(), extractBatch);
                Features test = source.extract(sets.test(), normalize, sets.size(), extractBatch)) {
            double extraction = FeaturesCommand.seconds(started);
            int classes = sets.classes(train, test);
            LinearProbeResult result = LinearProbe.train(train, test, classes, config, e -> System.out.println(
                    String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, test top-1 %.4f", e.epoch() + 1, epochs,
                            e.trainLoss(), e.testTop1())));
            ObjectNode line = FeaturesCommand.JSON.createObjectNode().put("command", "linprobe")
                    .put("top1", result.top1()).put("top5", result.top5()).put("epochs", epochs)
                    .put("batch", result.batchSize()).put("base_lr", baseLearningRate).put("lr", result.learningRate())
                    .put("warmup_epochs", config.warmupEpochs()).put("weight_decay", weightDecay)
                    .put("seed", source.seed).put("classes", classes).put("train_images", train.count())
                    .put("test_images", test.count());
            source.describe(line, train);
            data.describe(line, sets);
            line.put("extract_seconds", extraction).put("seconds", FeaturesCommand.seconds(started));
            System.out.println(line);
        }
        return 0;
    }
}
