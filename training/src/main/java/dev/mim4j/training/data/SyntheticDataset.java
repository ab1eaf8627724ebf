package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

import dev.mim4j.models.image.DataChecks;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

/**
 * Generated images with structure a model can learn, for tests and benchmarks without files:
 * stripes at an angle set by the label (one of 10), two random sinusoids and a disc, values in
 * [0, 1]. Image {@code i} depends only on the seed and {@code i}, so any image can be made on any
 * thread in any order.
 */
public final class SyntheticDataset implements ImageDataset {

    /** Number of classes; labels are 0 to 9. */
    public static final int CLASSES = 10;

    private final int count;
    private final ImageSize size;
    private final long seed;

    private SyntheticDataset(int count, ImageSize size, long seed) {
        this.count = count;
        this.size = size;
        this.seed = seed;
    }

    /** {@code count} images of {@code size}, drawn from {@code seed}. */
    public static SyntheticDataset of(int count, ImageSize size, long seed) {
        check(count >= 0, "synthetic image count %d cannot be negative", count);
        given("synthetic image size", size);
        return new SyntheticDataset(count, size, seed);
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public FloatImage read(int index) {
        SplittableRandom random = randomOf(index);
        int label = random.nextInt(CLASSES);
        int height = size.height();
        int width = size.width();
        // The class stripe: 2 to 4 cycles across the image at an angle of label * 18 degrees.
        double angle = Math.PI * label / CLASSES;
        double cycles = random.nextDouble(2, 4);
        double stripeX = 2 * Math.PI * cycles * Math.cos(angle) / width;
        double stripeY = 2 * Math.PI * cycles * Math.sin(angle) / height;
        double[][] waves = new double[2][];
        for (int w = 0; w < waves.length; w++) {
            waves[w] = new double[] {
                2 * Math.PI * random.nextDouble(-6, 6) / width,
                2 * Math.PI * random.nextDouble(-6, 6) / height,
                random.nextDouble(2 * Math.PI)
            };
        }
        double discY = random.nextDouble(height);
        double discX = random.nextDouble(width);
        double radius = Math.min(height, width) * random.nextDouble(0.1, 0.3);
        float[] pixels = new float[size.values()];
        for (int c = 0; c < size.channels(); c++) {
            // Each channel sees the pattern shifted in phase, so that colour carries information.
            double shift = random.nextDouble(2 * Math.PI);
            float disc = (float) random.nextDouble();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double value;
                    double dy = y - discY;
                    double dx = x - discX;
                    if (dy * dy + dx * dx <= radius * radius) {
                        value = disc;
                    } else {
                        value = 0.5 + 0.2 * Math.sin(stripeX * x + stripeY * y + shift);
                        for (double[] wave : waves) {
                            value += 0.1 * Math.sin(wave[0] * x + wave[1] * y + wave[2] + shift);
                        }
                    }
                    pixels[(c * height + y) * width + x] = (float) value;
                }
            }
        }
        return new FloatImage(size, pixels);
    }

    @Override
    public int label(int index) {
        return randomOf(index).nextInt(CLASSES);
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
        return "synthetic " + DataChecks.count(count, "image") + " " + size + ", seed " + seed;
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    private SplittableRandom randomOf(int index) {
        return new SplittableRandom(Seeds.mix(seed, Objects.checkIndex(index, count)));
    }
}
