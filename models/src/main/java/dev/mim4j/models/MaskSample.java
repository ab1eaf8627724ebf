package dev.mim4j.models;

import static org.bytedeco.pytorch.global.torch.argsort;
import static org.bytedeco.pytorch.global.torch.gather;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.recipe.Masking;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Which patch tokens of each image are masked, in the three forms a recipe needs: the binary
 * {@code mask} {@code [batch, tokens]} (1 = masked) in the original order, the shuffle that puts
 * the visible tokens first ({@code idsShuffle}, {@code [batch, tokens]}), its inverse
 * {@code idsRestore}, and the number of visible tokens {@code kept}, equal for every image, or -1
 * when the images differ in it (which only an encoder that replaces masked tokens can take).
 */
public record MaskSample(Tensor mask, Tensor idsShuffle, Tensor idsRestore, int kept) {

    /** Its tensors: the mask and both orders. */
    public List<Tensor> tensors() {
        return List.of(mask, idsShuffle, idsRestore);
    }

    /** The same tensors under handles of its own, which can be closed without closing this sample's. */
    public MaskSample withOwnHandles() {
        return new MaskSample(new Tensor(mask), new Tensor(idsShuffle), new Tensor(idsRestore), kept);
    }

    /** The same sample on {@code device} (masks are drawn on the CPU; the model may be on a GPU). */
    public MaskSample to(Device device) {
        if (mask.device().str().getString().equals(device.str().getString())) {
            return this;
        }
        return new MaskSample(mask.to(device, ScalarType.Float), idsShuffle.to(device, ScalarType.Long),
                idsRestore.to(device, ScalarType.Long), kept);
    }

    /**
     * The grid indices of the visible tokens, {@code [batch, kept]}, in shuffle order.
     *
     * @throws IllegalArgumentException when the images keep different numbers of tokens
     */
    public Tensor idsKeep() {
        if (kept < 0) {
            throw new Mim4jException("masking", "the masks hide a different number of tokens in different images;"
                    + " dropping masked tokens needs the same number in every image: use a masking policy that"
                    + " masks a fixed count, or replace masked tokens with a mask token");
        }
        return idsShuffle.narrow(1, 0, kept);
    }

    /**
     * Draws one mask per image from {@code masking}, in order, from {@code random} only: the same
     * source state gives the same masks. The draw is plain Java; the sample is a set of CPU tensors,
     * so call it on the thread that owns libtorch.
     */
    public static MaskSample draw(Masking masking, TokenGrid grid, int batch, RandomGenerator random) {
        if (batch < 1) {
            throw new Mim4jException("batch", "batch " + batch + " must be at least 1");
        }
        int tokens = grid.tokens();
        float[] masks = new float[batch * tokens];
        for (int b = 0; b < batch; b++) {
            boolean[] mask = masking.sample(grid, random);
            if (mask == null || mask.length != tokens) {
                throw new Mim4jException("masking", "masking policy " + masking.describe() + " gave "
                        + (mask == null ? "no mask" : "a mask of " + mask.length + " tokens") + " for a "
                        + grid.describe() + " grid of " + tokens + " tokens");
            }
            for (int t = 0; t < tokens; t++) {
                masks[b * tokens + t] = mask[t] ? 1f : 0f;
            }
        }
        return fromMask(Tensors.floats(masks, batch, tokens));
    }

    /** Number of patch tokens per image. */
    public long tokens() {
        return mask.size(1);
    }

    /**
     * MAE's random masking from given noise: per image, the {@code kept} tokens with the smallest
     * noise stay visible.
     *
     * @param noise {@code [batch, tokens]} floats, e.g. uniform on [0, 1)
     */
    public static MaskSample fromNoise(Tensor noise, int kept) {
        long[] shape = Tensors.shape(noise);
        if (shape.length != 2) {
            throw new Mim4jException("noise", "noise must be [batch, tokens], got shape " + Arrays.toString(shape));
        }
        if (kept < 1 || kept >= shape[1]) {
            throw new Mim4jException("kept", "kept tokens " + kept + " must be in [1, " + (shape[1] - 1)
                    + "] for " + shape[1] + " tokens");
        }
        Tensor idsShuffle = argsort(noise, 1, false);
        Tensor idsRestore = argsort(idsShuffle, 1, false);
        Tensor ordered = ones(new long[] {shape[0], shape[1]}, new TensorOptions(ScalarType.Float));
        ordered.narrow(1, 0, kept).zero_();
        Tensor mask = gather(ordered, 1, idsRestore);
        return new MaskSample(mask, idsShuffle, idsRestore, kept);
    }

    /**
     * A sample from a given binary mask; each image must mask at least one token and leave one visible.
     *
     * @param mask {@code [batch, tokens]} or {@code [batch, gridHeight, gridWidth]}, nonzero = masked
     */
    public static MaskSample fromMask(Tensor mask) {
        long[] shape = Tensors.shape(mask);
        if (shape.length != 2 && shape.length != 3) {
            throw new Mim4jException("mask", "mask must be [batch, tokens] or [batch, gridHeight, gridWidth], got shape "
                    + Arrays.toString(shape));
        }
        long batch = shape[0];
        Tensor binary = mask.reshape(batch, -1).ne(zeros(1)).to(ScalarType.Float);
        float[] values = Tensors.toFloats(binary);
        int tokens = values.length / (int) batch;
        int kept = -1;
        for (int b = 0; b < batch; b++) {
            int masked = 0;
            for (int t = 0; t < tokens; t++) {
                masked += values[b * tokens + t] != 0 ? 1 : 0;
            }
            if (masked == 0 || masked == tokens) {
                throw new Mim4jException("mask", "mask: image " + b + " masks " + masked + " of " + tokens
                        + " tokens; at least one must be masked and one visible");
            }
            kept = b == 0 || kept == tokens - masked ? tokens - masked : -2;
        }
        // A stable sort puts the visible tokens (0) first, each group in grid order.
        Tensor idsShuffle = argsort(binary, true, 1, false);
        Tensor idsRestore = argsort(idsShuffle, 1, false);
        return new MaskSample(binary, idsShuffle, idsRestore, Math.max(kept, -1));
    }
}
