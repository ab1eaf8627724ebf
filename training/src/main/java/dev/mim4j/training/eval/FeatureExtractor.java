package dev.mim4j.training.eval;

import java.util.Arrays;
import java.util.Objects;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.Encoder;
import dev.mim4j.training.data.Batch;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import dev.mim4j.models.inference.Pooling;

/**
 * Runs a frozen encoder over a whole dataset and pools each image's tokens into one feature
 * vector: the features that kNN and the linear probe evaluate.
 */
public final class FeatureExtractor {

    private FeatureExtractor() {
    }

    /**
     * The features of every image of {@code dataset}, each taken once (images that cannot be read are
     * left out when the dataset's bad-image policy skips them), in the loader's order with their labels.
     * The encoder runs in eval mode without gradients, on the device it is on, and is left in the mode
     * it had.
     *
     * @param transform the evaluation view, giving images of the encoder's input size
     *     ({@code encoder.spec().image()}), e.g. {@code Transforms.eval(size, normalize)}
     * @param pooling {@link Pooling#CLS} needs an encoder with a cls token
     * @param batchSize images per forward pass
     * @param workers image decoding threads
     * @throws java.io.UncheckedIOException naming the file, if an image cannot be read under
     *     {@code BadImagePolicy.FAIL}
     */
    public static Features extract(Encoder encoder, ImageDataset dataset, ImageTransform transform,
            Pooling pooling, int batchSize, int workers) {
        // a missing encoder is reported by the overload, with the other missing arguments
        return extract(encoder, encoder == null ? 1 : encoder.depth(), dataset, transform, pooling, batchSize,
                workers);
    }

    /**
     * Like {@link #extract(Encoder, ImageDataset, ImageTransform, Pooling, int, int)}, with the
     * features taken after the first {@code blocks} blocks (then the final norm) instead of after all of
     * them: {@link Encoder#encode(Tensor, int)}.
     *
     * @param blocks 1 to the encoder's depth
     */
    public static Features extract(Encoder encoder, int blocks, ImageDataset dataset,
            ImageTransform transform, Pooling pooling, int batchSize, int workers) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(pooling, "pooling");
        Backbone spec = encoder.spec();
        encoder.checkBlocks(blocks);
        pooling.check(spec);
        ImageSize size = new ImageSize(spec.image().channels(), spec.image().height(), spec.image().width());
        int width = spec.width();
        float[] values = new float[Math.multiplyExact(dataset.size(), width)];
        int[] labels = new int[dataset.size()];
        int rows = 0;
        boolean wasTraining = encoder.module().is_training();
        encoder.module().train(false);
        try (BatchLoader loader = BatchLoader.builder(dataset, transform, size).batchSize(batchSize).dropLast(false)
                .workers(workers).build()) {
            Device device = encoder.module().parameters().get(0).device();
            while (loader.hasNext()) {
                Batch batch = loader.next();
                try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
                    Tensor images = Tensors.floats(Arrays.copyOf(batch.pixels(), batch.size() * size.values()),
                            batch.size(), size.channels(), size.height(), size.width());
                    System.arraycopy(batch.labels(), 0, labels, rows, batch.size());
                    loader.recycle(batch);
                    Tensor tokens = encoder.encode(device.is_cpu() ? images : images.to(device, ScalarType.Float),
                            blocks);
                    float[] pooled = Tensors.toFloats(pooling.pool(tokens, spec.prefixTokens()));
                    System.arraycopy(pooled, 0, values, rows * width, pooled.length);
                    rows += pooled.length / width;
                }
            }
        } finally {
            encoder.module().train(wasTraining);
        }
        return Features.ofRows(values, labels, rows, width, pooling);
    }
}
