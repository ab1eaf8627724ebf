package dev.mim4j.training.data;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

/**
 * A fixed, indexed collection of images with optional labels, the source of a {@link BatchLoader}.
 *
 * <p>{@link #read} and {@link #label} are called from several loader threads at once, so an
 * implementation must be safe for concurrent reads; the ones here hold only immutable state.
 */
public interface ImageDataset {

    /** Number of images; indices run from 0 to {@code size() - 1}. */
    int size();

    /**
     * Decodes image {@code index} into a new {@link FloatImage} with {@link #channels()} channels
     * and values in [0, 1].
     *
     * @throws IOException if the image cannot be read or decoded; the message names the file
     */
    FloatImage read(int index) throws IOException;

    /** The class of image {@code index}, from 0, or -1 when the dataset has no labels. */
    int label(int index);

    /** The size that every image has, when the format fixes one (IDX, CIFAR), else empty. */
    Optional<ImageSize> fixedSize();

    /** Number of channels of every image that {@link #read} returns. */
    int channels();

    /** One line for logs, e.g. "IDX 10000 images 28x28x1 from t10k-images-idx3-ubyte.gz". */
    String describe();

    /** Image {@code index} in messages: its file where it has one, else "item 12 of " and {@link #describe()}. */
    default String describeItem(int index) {
        return "item " + index + " of " + describe();
    }

    /** Names of the classes, indexed by label; empty when the dataset does not know them. */
    List<String> classNames();

    /**
     * What a loader does by default with an image that {@link #read} cannot decode; FAIL unless
     * the dataset was opened with another policy, as an image folder can be.
     */
    default BadImagePolicy badImagePolicy() {
        return BadImagePolicy.FAIL;
    }
}
