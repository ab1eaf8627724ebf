package dev.mim4j.training.data;

import java.util.Arrays;

import dev.mim4j.models.image.DataChecks;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

/**
 * A batch of images from a {@link BatchLoader}, channel-major per image: image {@code i}'s pixel
 * {@code (c, y, x)} is at {@code pixels[((i * C + c) * H + y) * W + x]}, ready to become a
 * {@code [size, C, H, W]} tensor.
 *
 * <p><b>The arrays are the loader's, and reused.</b> They hold room for a full batch, of which the
 * first {@code size} images ({@code size * imageSize.values()} floats) and {@code size} labels
 * are this batch's. Copy them (into a tensor, say), then hand the batch back with
 * {@link BatchLoader#recycle(Batch)}; after that the loader overwrites them with a later batch.
 * A consumer that never recycles stalls the loader once its few buffers are all out.
 *
 * @param pixels the images, channel-major, for at least {@code size} images
 * @param labels the label of each image, -1 for unlabelled images
 * @param size number of images in this batch: the batch size, except maybe in an epoch's last
 *     batch
 * @param epoch the epoch this batch belongs to
 * @param index position of this batch in its epoch, from 0
 * @param imageSize channels, height and width of every image
 * @param endPosition position in the epoch's item order (of this shard) just after the last item
 *     this batch took, skipped bad images included; {@code resumeAt(index + 1, endPosition)}
 *     continues exactly after this batch
 */
public record Batch(
        float[] pixels,
        int[] labels,
        int size,
        int epoch,
        int index,
        ImageSize imageSize,
        int endPosition) {

    /** A copy of image {@code i} of this batch. */
    public FloatImage image(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("image " + i + " of a batch of " + size);
        }
        int values = imageSize.values();
        return new FloatImage(imageSize, Arrays.copyOfRange(pixels, i * values, (i + 1) * values));
    }

    /** The labels of this batch's images, a copy of the first {@code size} entries of {@link #labels()}. */
    public int[] batchLabels() {
        return Arrays.copyOf(labels, size);
    }

    @Override
    public String toString() {
        return "batch " + index + " of epoch " + epoch + ": " + DataChecks.count(size, "image") + " " + imageSize;
    }
}
