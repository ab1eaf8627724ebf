package dev.mim4j.training.eval;

import java.io.IOException;
import java.util.Objects;
import java.util.SplittableRandom;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Natives;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.training.data.Batch;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.data.ImageDataset;

/**
 * The raw-pixel baseline: each image's transformed (normalised) pixels, flattened, as its feature
 * vector, so that {@link Knn} and {@link LinearProbe} show what an encoder adds over no encoder.
 */
public final class PixelFeatures {

    private PixelFeatures() {
    }

    /** {@link #of(ImageDataset, ImageTransform, int)} with one decoding thread. */
    public static Features of(ImageDataset dataset, ImageTransform transform) throws IOException {
        return of(dataset, transform, 1);
    }

    /**
     * The pixels of every image of {@code dataset} after {@code transform} (which must give every image
     * the same size; the first image's sets it), in the loader's order with their labels; images that
     * cannot be read are left out when the dataset's bad-image policy skips them.
     *
     * @throws IOException if the first image cannot be read
     */
    public static Features of(ImageDataset dataset, ImageTransform transform, int workers) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(transform, "transform");
        if (dataset.size() == 0) {
            throw new Mim4jException("data", "the dataset is empty: " + dataset.describe());
        }
        Natives.load();
        ImageSize size = transform.apply(dataset.read(0), new SplittableRandom(0)).size();
        int width = size.values();
        float[] values = new float[Math.multiplyExact(dataset.size(), width)];
        int[] labels = new int[dataset.size()];
        int rows = 0;
        try (BatchLoader loader = BatchLoader.builder(dataset, transform, size).batchSize(256).dropLast(false)
                .workers(workers).build()) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                System.arraycopy(batch.pixels(), 0, values, rows * width, batch.size() * width);
                System.arraycopy(batch.labels(), 0, labels, rows, batch.size());
                rows += batch.size();
                loader.recycle(batch);
            }
        }
        return Features.ofRows(values, labels, rows, width, null);
    }
}
