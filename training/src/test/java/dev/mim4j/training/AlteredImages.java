package dev.mim4j.training;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.ImageDataset;

/** A dataset that serves another's images through a change (NaN pixels, a read error, ...), for tests. */
final class AlteredImages implements ImageDataset {

    /** What happens to image {@code index} on its way out. */
    interface Change {
        FloatImage apply(int index, FloatImage image) throws IOException;
    }

    private final ImageDataset inner;
    private final Change change;
    private final String description;

    AlteredImages(ImageDataset inner, String description, Change change) {
        this.inner = inner;
        this.change = change;
        this.description = description;
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public FloatImage read(int index) throws IOException {
        return change.apply(index, inner.read(index));
    }

    @Override
    public int label(int index) {
        return inner.label(index);
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return inner.fixedSize();
    }

    @Override
    public int channels() {
        return inner.channels();
    }

    @Override
    public String describe() {
        return description + " " + inner.describe();
    }

    @Override
    public List<String> classNames() {
        return inner.classNames();
    }
}
