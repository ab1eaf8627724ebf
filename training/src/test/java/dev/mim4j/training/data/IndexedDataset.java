package dev.mim4j.training.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

/**
 * A test dataset whose image {@code i} is filled with the value {@code i} and labelled {@code i},
 * so that every batch says exactly which items it holds; the items in {@code bad} fail to read.
 */
class IndexedDataset implements ImageDataset {

    private final int size;
    private final ImageSize imageSize;
    private final Set<Integer> bad;
    private final BadImagePolicy policy;

    IndexedDataset(int size, ImageSize imageSize, Set<Integer> bad, BadImagePolicy policy) {
        this.size = size;
        this.imageSize = imageSize;
        this.bad = bad;
        this.policy = policy;
    }

    /** {@code size} good images of 1x2x2. */
    static IndexedDataset of(int size) {
        return new IndexedDataset(size, new ImageSize(1, 2, 2), Set.of(), BadImagePolicy.FAIL);
    }

    /** {@code size} images of 1x2x2 of which those in {@code bad} cannot be read. */
    static IndexedDataset withBadItems(int size, Set<Integer> bad, BadImagePolicy policy) {
        return new IndexedDataset(size, new ImageSize(1, 2, 2), bad, policy);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public FloatImage read(int index) throws IOException {
        if (bad.contains(index)) {
            throw new IOException("cannot read image item-" + index + ".png: broken on purpose");
        }
        float[] pixels = new float[imageSize.values()];
        Arrays.fill(pixels, index);
        return new FloatImage(imageSize, pixels);
    }

    @Override
    public int label(int index) {
        return index;
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return Optional.of(imageSize);
    }

    @Override
    public int channels() {
        return imageSize.channels();
    }

    @Override
    public String describe() {
        return "indexed " + size + " images " + imageSize;
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    @Override
    public BadImagePolicy badImagePolicy() {
        return policy;
    }
}
