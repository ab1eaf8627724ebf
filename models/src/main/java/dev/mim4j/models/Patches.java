package dev.mim4j.models;

import java.util.Arrays;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.pytorch.Tensor;

/**
 * MAE's patch layout: images {@code [batch, channels, height, width]} to rows of patches
 * {@code [batch, (height/p) * (width/p), p * p * channels]}, grid row-major, and within a patch
 * pixel row-major with the channel last ({@code nchpwq -> nhwpqc}); and back.
 */
public final class Patches {

    private Patches() {
    }

    /** Images to patches; height and width must be multiples of {@code patchSize}. */
    public static Tensor patchify(Tensor images, int patchSize) {
        long[] shape = Tensors.shape(images);
        if (shape.length != 4) {
            throw new Mim4jException("images", "patchify takes images [batch, channels, height, width], got shape "
                    + Arrays.toString(shape));
        }
        checkPatch(patchSize);
        long batch = shape[0];
        long channels = shape[1];
        long height = shape[2];
        long width = shape[3];
        if (height % patchSize != 0 || width % patchSize != 0) {
            throw new Mim4jException("image size", "image " + height + "x" + width + " is not a multiple of patch size "
                    + patchSize + " in " + (height % patchSize != 0 ? "height" : "width"));
        }
        long gh = height / patchSize;
        long gw = width / patchSize;
        return images.reshape(batch, channels, gh, patchSize, gw, patchSize)
                .permute(0, 2, 4, 3, 5, 1)
                .reshape(batch, gh * gw, (long) patchSize * patchSize * channels);
    }

    /** Patches back to images of {@code gridHeight * patchSize} by {@code gridWidth * patchSize}. */
    public static Tensor unpatchify(Tensor patches, int patchSize, int channels, int gridHeight, int gridWidth) {
        long[] shape = Tensors.shape(patches);
        checkPatch(patchSize);
        long patchDim = (long) patchSize * patchSize * channels;
        if (shape.length != 3 || shape[1] != (long) gridHeight * gridWidth || shape[2] != patchDim) {
            throw new Mim4jException("patches", "unpatchify expects [batch, " + gridHeight + "x" + gridWidth + "="
                    + (long) gridHeight * gridWidth + " patches, " + patchSize + "x" + patchSize + "x" + channels + "="
                    + patchDim + "], got shape " + Arrays.toString(shape));
        }
        long batch = shape[0];
        return patches.reshape(batch, gridHeight, gridWidth, patchSize, patchSize, channels)
                .permute(0, 5, 1, 3, 2, 4)
                .reshape(batch, channels, (long) gridHeight * patchSize, (long) gridWidth * patchSize);
    }

    private static void checkPatch(int patchSize) {
        if (patchSize < 1) {
            throw new Mim4jException("patch size", "patch size " + patchSize + " must be at least 1");
        }
    }
}
