package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.eval.DatasetRange;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The train and test data of an evaluation: two datasets, or one whose first part trains and the rest
 * tests; each is read as the {@code --data} of other commands is.
 */
final class TrainTestSplits {

    @Option(names = "--train-data", defaultValue = DataFormatOptions.DEMO, description = "The train images: an IDX file,"
            + " an image folder, a CIFAR folder or file, or 'demo', the Fashion-MNIST test split shipped with"
            + " mim4j (default: ${DEFAULT-VALUE}).")
    String trainData;

    @Option(names = "--train-labels", description = "The IDX labels file that goes with --train-data.")
    Path trainLabels;

    @Option(names = "--test-data", description = "The test images, read like --train-data; without it,"
            + " --split divides --train-data.")
    String testData;

    @Option(names = "--test-labels", description = "The IDX labels file that goes with --test-data.")
    Path testLabels;

    @Option(names = "--split", description = "Without --test-data: the fraction of --train-data, from its first"
            + " image, that trains; the rest tests (default: 0.8, which splits the demo's 10,000 images into the"
            + " first 8,000 and the last 2,000).")
    Double split;

    @Mixin
    DataFormatOptions format;

    /** The train and test datasets and the size their images come out at. */
    TrainTest datasets() throws IOException {
        ImageDataset train = format.read(trainData, trainLabels, "--train-data");
        ImageSize size = format.outputSize(train);
        if (testData != null) {
            if (split != null) {
                throw new IllegalArgumentException("--split " + split + " divides a single dataset; it does not go"
                        + " with --test-data");
            }
            ImageDataset test = format.read(testData, testLabels, "--test-data");
            ImageSize testSize = format.outputSize(test);
            if (!testSize.equals(size)) {
                throw new IllegalArgumentException("test images come out at " + testSize + " but train images at "
                        + size + "; both must have one size");
            }
            return new TrainTest(train, test, size);
        }
        double fraction = split != null ? split : 0.8;
        int cut = (int) Math.round(train.size() * fraction);
        if (!(fraction > 0 && fraction < 1) || cut < 1 || cut >= train.size()) {
            throw new IllegalArgumentException("--split " + fraction + " of the " + train.size() + " images of "
                    + train.describe() + " leaves no train or no test images; give a fraction in (0, 1)");
        }
        return new TrainTest(DatasetRange.of(train, 0, cut), DatasetRange.of(train, cut, train.size()), size);
    }

    /** Adds the data to a result line. */
    void describe(ObjectNode line, TrainTest sets) {
        line.put("train_data", sets.train().describe()).put("test_data", sets.test().describe());
    }
}
