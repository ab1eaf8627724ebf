package dev.mim4j.training.eval;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.ImageDataset;

/**
 * Grey images whose class is their brightness: image {@code i} has class {@code i % classes}, pixels
 * at {@code 0.1 + 0.8 * class / (classes - 1)} plus noise of at most 0.02, so any encoder that keeps
 * brightness separates them; with {@code shuffled}, the label is drawn at random instead, so that
 * nothing in the image predicts it.
 */
final class BrightnessClasses implements ImageDataset {

    private final int count;
    private final int classes;
    private final ImageSize size;
    private final boolean shuffled;

    BrightnessClasses(int count, int classes, ImageSize size, boolean shuffled) {
        this.count = count;
        this.classes = classes;
        this.size = size;
        this.shuffled = shuffled;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public FloatImage read(int index) {
        SplittableRandom random = new SplittableRandom(index);
        float level = 0.1f + 0.8f * (index % classes) / (classes - 1);
        float[] pixels = new float[size.values()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = level + (float) random.nextDouble(-0.02, 0.02);
        }
        return new FloatImage(size, pixels);
    }

    @Override
    public int label(int index) {
        return shuffled ? new SplittableRandom(1_000_003L * index).nextInt(classes) : index % classes;
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return Optional.of(size);
    }

    @Override
    public int channels() {
        return size.channels();
    }

    @Override
    public String describe() {
        return count + " grey images in " + classes + " brightness classes" + (shuffled ? ", labels shuffled" : "");
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }
}
