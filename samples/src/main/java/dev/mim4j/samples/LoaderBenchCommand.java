package dev.mim4j.samples;

import java.util.Locale;
import java.util.concurrent.Callable;

import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.LoaderThroughput;
import dev.mim4j.training.preset.BuiltInPresets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Measures the data pipeline alone: decoding and augmentation, as pre-training would run them. */
@Command(name = "bench-loader", mixinStandardHelpOptions = true,
        description = "Prints the images/s the data loader delivers on its own (decode + MAE augmentation), to set"
                + " beside the images/s a training step consumes.")
final class LoaderBenchCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--batch", defaultValue = "256", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--batches", defaultValue = "30", description = "Batches timed (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--workers", defaultValue = "1", description = "Decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public Integer call() throws Exception {
        ImageDataset dataset = data.dataset();
        TrainingData training = data.trainingData(dataset, data.format.normalization(dataset, 0), BuiltInPresets.MAE);
        BatchLoader.Builder builder = BatchLoader.builder(dataset, training.trainTransform(), data.outputSize(dataset))
                .batchSize(batch).workers(workers).badImages(training.badImages());
        double imagesPerSecond = LoaderThroughput.measure(builder, batches);
        System.out.println(String.format(Locale.ROOT, "{\"loader_img_per_s\": %.1f, \"workers\": %d, \"batch\": %d,"
                + " \"data\": \"%s\"}", imagesPerSecond, workers, batch, dataset.describe()));
        return 0;
    }
}
