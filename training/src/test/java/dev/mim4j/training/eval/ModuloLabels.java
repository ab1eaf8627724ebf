package dev.mim4j.training.eval;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.ImageDataset;

/** Another dataset's images, with image {@code i} labelled {@code i % classes} (or unlabelled). */
final class ModuloLabels implements ImageDataset {

    private final ImageDataset images;
    private final int classes;

    ModuloLabels(ImageDataset images, int classes) {
        this.images = images;
        this.classes = classes;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public FloatImage read(int index) throws IOException {
        return images.read(index);
    }

    @Override
    public int label(int index) {
        return classes == 0 ? -1 : index % classes;
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return images.fixedSize();
    }

    @Override
    public int channels() {
        return images.channels();
    }

    @Override
    public String describe() {
        return images.describe() + " labelled by index mod " + classes;
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }
}
