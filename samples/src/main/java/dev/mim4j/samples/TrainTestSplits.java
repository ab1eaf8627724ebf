package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.ImageSize;
import dev.mim4j.training.eval.DatasetRange;
import picocli.CommandLine.Option;

/**
 * The train and test data of an evaluation: two datasets, or one whose first part trains and the rest
 * tests; each is read as the {@code --data} of other commands is.
 */
final class TrainTestSplits {

    @Option(names = "--train-data", defaultValue = DataOptions.DEMO, description = "The train images: an IDX file,"
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

    @Option(names = "--format", defaultValue = "auto", description = "auto, idx, folder, cifar10 or cifar100"
            + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--image-size", defaultValue = "224", description = "Height and width images of a folder are"
            + " cropped to (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "3", description = "Channels images of a folder are converted to"
            + " (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--normalize", defaultValue = "auto", description = "imagenet, dataset (statistics of 2,000"
            + " train images) or auto: ImageNet's for 3-channel data, the dataset's otherwise; a checkpoint's own"
            + " normalisation overrides it (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--bad-images", defaultValue = "skip", description = "skip (count and warn) or fail (stop with"
            + " the file's path) on an unreadable image (default: ${DEFAULT-VALUE}).")
    String badImages;

    /** The train and test datasets and the size their images come out at. */
    TrainTest datasets() throws IOException {
        ImageDataset train = read(trainData, trainLabels, "--train-data");
        DataOptions reader = reader(trainData, trainLabels);
        ImageSize size = reader.outputSize(train);
        if (testData != null) {
            if (split != null) {
                throw new IllegalArgumentException("--split " + split + " divides a single dataset; it does not go"
                        + " with --test-data");
            }
            ImageDataset test = read(testData, testLabels, "--test-data");
            ImageSize testSize = reader(testData, testLabels).outputSize(test);
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

    private ImageDataset read(String data, Path labels, String option) throws IOException {
        if (!data.equals(DataOptions.DEMO) && !Files.exists(Path.of(data))) {
            throw new IOException(data + ": no such file or folder (" + option + ")");
        }
        return reader(data, labels).dataset();
    }

    private DataOptions reader(String data, Path labels) {
        DataOptions options = new DataOptions();
        options.data = data;
        options.labels = labels;
        options.format = format;
        options.imageSize = imageSize;
        options.channels = channels;
        options.normalize = normalize;
        options.badImages = badImages;
        return options;
    }
}
