package dev.mim4j.training.eval;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.ImageDataset;

/**
 * The images {@code [from, to)} of another dataset, in order: a train or test part of a single dataset,
 * such as the first 8,000 images of the demo data for training and the last 2,000 for testing.
 */
public final class DatasetRange implements ImageDataset {

    private final ImageDataset source;
    private final int from;
    private final int to;

    private DatasetRange(ImageDataset source, int from, int to) {
        this.source = source;
        this.from = from;
        this.to = to;
    }

    /**
     * The images {@code [from, to)} of {@code source}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= source.size()}
     */
    public static DatasetRange of(ImageDataset source, int from, int to) {
        Objects.requireNonNull(source, "source");
        if (from < 0 || from > to || to > source.size()) {
            throw new Mim4jException("range", "dataset range [" + from + ", " + to + ") is not within the "
                    + source.size() + " images of " + source.describe());
        }
        return new DatasetRange(source, from, to);
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public FloatImage read(int index) throws IOException {
        return source.read(from + Objects.checkIndex(index, size()));
    }

    @Override
    public int label(int index) {
        return source.label(from + Objects.checkIndex(index, size()));
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return source.fixedSize();
    }

    @Override
    public int channels() {
        return source.channels();
    }

    @Override
    public String describe() {
        return "images [" + from + ", " + to + ") of " + source.describe();
    }

    @Override
    public List<String> classNames() {
        return source.classNames();
    }

    @Override
    public BadImagePolicy badImagePolicy() {
        return source.badImagePolicy();
    }
}
