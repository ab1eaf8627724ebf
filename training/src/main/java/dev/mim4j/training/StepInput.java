package dev.mim4j.training;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.Batch;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One micro-batch as a {@link TrainingTask} sees it: the images (as a tensor on the run's device, or
 * as Java pixels for augmentations that mix images), their labels, and the random sources of this
 * step, each derived from the run's seed and the micro-batch's position so that a resumed run makes
 * the same choices. The images can be taken once: the loader's buffer goes back to its workers as soon
 * as they are copied.
 */
public final class StepInput {

    private final Batch batch;
    private final Runnable release;
    private final int[] labels;
    private final Device device;
    private final long seed;
    private final long microBatch;
    private final long randomPosition;
    private boolean taken;

    StepInput(Batch batch, Runnable release, Device device, long seed, long microBatch, long randomPosition) {
        this.batch = batch;
        this.release = release;
        this.labels = Arrays.copyOf(batch.labels(), batch.size());
        this.device = device;
        this.seed = seed;
        this.microBatch = microBatch;
        this.randomPosition = randomPosition;
    }

    /** The images as {@code [size, C, H, W]} float32 on the run's device; once per step. */
    public Tensor images() {
        take();
        Tensor images = BatchTensors.images(batch, device);
        release.run();
        return images;
    }

    /** The images' pixels, {@code size x C x H x W} values, a copy the task may change; once per step. */
    public float[] pixels() {
        take();
        float[] pixels = Arrays.copyOf(batch.pixels(), batch.size() * batch.imageSize().values());
        release.run();
        return pixels;
    }

    private void take() {
        if (taken) {
            throw new IllegalStateException("the images of a step can be taken once, as a tensor or as pixels");
        }
        taken = true;
    }

    /** The labels of the images, -1 where there are none. */
    public int[] labels() {
        return labels.clone();
    }

    /** The number of images. */
    public int size() {
        return batch.size();
    }

    public ImageSize imageSize() {
        return batch.imageSize();
    }

    public Device device() {
        return device;
    }

    /** The micro-batch's position in the run, from 0; the same on every rank of a data-parallel run. */
    public long microBatch() {
        return microBatch;
    }

    /**
     * A random source of this step's {@code stream}, the same at this position in every run with this seed; each
     * rank of a data-parallel run has its own (derived from the seed, the rank and the micro-batch).
     */
    public SplittableRandom random(StepSeeds.Stream stream) {
        return new SplittableRandom(StepSeeds.derive(seed, stream, randomPosition));
    }

    /** Seeds libtorch's default generator for this step's drop path, as {@link #random} derives its sources. */
    public void seedDropPath() {
        torch.manual_seed(StepSeeds.derive(seed, StepSeeds.Stream.DROP_PATH, randomPosition));
    }
}
