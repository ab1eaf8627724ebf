package dev.mim4j.samples;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.eval.Features;
import dev.mim4j.training.eval.Knn;
import dev.mim4j.training.eval.KnnResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Measures frozen features with DINO's weighted k-nearest-neighbour classifier. */
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "Classifies each test image by the votes of its k most similar train images in feature space"
                + " (DINO's weighted kNN: cosine similarity, weights exp(similarity / temperature)) and prints one"
                + " JSON line with the accuracy, the settings and the wall time. Give one of --checkpoint,"
                + " --random-init or --pixels; the data defaults to the shipped Fashion-MNIST demo, its first 8,000"
                + " images to train and its last 2,000 to test.")
final class KnnCommand implements Callable<Integer> {

    @Mixin
    FeatureSource source;

    @Mixin
    TrainTestSplits data;

    @Option(names = "--k", defaultValue = "20", description = "Neighbours that vote (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--temperature", defaultValue = "0.07", description = "Temperature of the vote weights"
            + " (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--batch", defaultValue = "64", description = "Images per encoder pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        TrainTest sets = data.datasets();
        Knn.checkSettings(k, temperature, sets.train().size());
        source.prepare(sets.size());
        Normalize normalize = source.normalization(sets.train(), data.format);
        try (Features train = source.extract(sets.train(), normalize, sets.size(), batch);
                Features test = source.extract(sets.test(), normalize, sets.size(), batch)) {
            double extraction = FeaturesCommand.seconds(started);
            int classes = sets.classes(train, test);
            KnnResult result = Knn.knn(train, test, k, temperature, classes);
            ObjectNode line = FeaturesCommand.JSON.createObjectNode().put("command", "knn")
                    .put("top1", result.top1()).put("top5", result.top5()).put("k", result.k())
                    .put("temperature", result.temperature()).put("classes", classes)
                    .put("train_images", train.count()).put("test_images", test.count());
            source.describe(line, train);
            data.describe(line, sets);
            line.put("extract_seconds", extraction).put("seconds", FeaturesCommand.seconds(started));
            System.out.println(line);
        }
        return 0;
    }
}
