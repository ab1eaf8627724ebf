package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Path;

import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.preset.Preset;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a command's images come from (one dataset), and how they are prepared. */
final class DataOptions {

    static final String DEMO = DataFormatOptions.DEMO;

    @Option(names = "--data", defaultValue = DEMO, description = "An IDX images file (MNIST/Fashion-MNIST, .gz or not),"
            + " a folder of class sub-folders of JPEG/PNG/BMP images, a CIFAR-10/100 binary folder or file, or 'demo':"
            + " the Fashion-MNIST test split shipped with mim4j (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--labels", description = "The IDX labels file that goes with --data (optional).")
    Path labels;

    @Mixin
    DataFormatOptions format;

    /** The --data path, or null for the shipped demo data. */
    Path path() {
        return data.equals(DEMO) ? null : Path.of(data);
    }

    ImageDataset dataset() throws IOException {
        return format.read(data, labels, "--data");
    }

    ImageSize outputSize(ImageDataset dataset) {
        return format.outputSize(dataset);
    }

    /** {@code preset}'s pre-training augmentation and an evaluation view, both ending with {@code normalization}. */
    TrainingData trainingData(ImageDataset dataset, Normalize normalization, Preset preset) {
        return trainingData(dataset, normalization, preset, outputSize(dataset));
    }

    /** As {@link #trainingData(ImageDataset, Normalize, Preset)}, cropping to {@code size}, the model's. */
    TrainingData trainingData(ImageDataset dataset, Normalize normalization, Preset preset, ImageSize size) {
        if (size.height() != size.width()) {
            throw new IllegalArgumentException("images of " + size.height() + "x" + size.width()
                    + ": the pre-training transforms crop squares; resize the data first");
        }
        return new TrainingData(dataset, preset.augmentation(size.height(), normalization),
                Transforms.eval(size.height(), normalization), normalization, format.policy(),
                format.maxBadImageShare());
    }
}
