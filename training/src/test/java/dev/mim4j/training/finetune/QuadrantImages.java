package dev.mim4j.training.finetune;

import java.util.List;
import java.util.Optional;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.ImageDataset;

/** A toy classification set whose answer is known: class k is a bright square in quadrant k of a dark image. */
final class QuadrantImages implements ImageDataset {

    private final int count;
    private final int offset;

    QuadrantImages(int count, int offset) {
        this.count = count;
        this.offset = offset;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public FloatImage read(int index) {
        int i = index + offset;
        int label = label(index);
        float[] pixels = new float[16 * 16];
        int top = (label / 2) * 8 + (i % 3);
        int left = (label % 2) * 8 + (i / 3 % 3);
        for (int y = top; y < top + 5; y++) {
            for (int x = left; x < left + 5; x++) {
                pixels[y * 16 + x] = 1f;
            }
        }
        return new FloatImage(1, 16, 16, pixels);
    }

    @Override
    public int label(int index) {
        return (index + offset) % 4;
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return Optional.of(new ImageSize(1, 16, 16));
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public String describe() {
        return "quadrant squares";
    }

    @Override
    public List<String> classNames() {
        return List.of("top left", "top right", "bottom left", "bottom right");
    }
}
