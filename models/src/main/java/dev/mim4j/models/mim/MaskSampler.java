package dev.mim4j.models.mim;

import java.util.random.RandomGenerator;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.BlockMasking;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.RandomPatches;
import dev.mim4j.models.Tensors;

/**
 * Draws masks for a masking policy from an explicit random source, so that the same source state
 * gives the same masks: MAE's uniform noise per token, or SimMIM's random set of coarse blocks
 * upsampled to the token grid. The draw itself is plain Java; the result is a set of CPU tensors,
 * so call it on the thread that owns libtorch.
 */
public final class MaskSampler {

    private MaskSampler() {
    }

    /**
     * @throws IllegalArgumentException for explicit masking, whose masks the caller gives
     */
    public static MaskSample sample(Masking masking, ViT backbone, int batch, RandomGenerator random) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch + " must be at least 1");
        }
        if (masking instanceof RandomPatches r) {
            return MaskSample.fromNoise(
                    Tensors.floats(noise(batch * backbone.tokens(), random), batch, backbone.tokens()),
                    r.kept(backbone.tokens()));
        }
        if (masking instanceof BlockMasking b) {
            return MaskSample.fromMask(Tensors.floats(blocks(b, backbone, batch, random), batch, backbone.tokens()));
        }
        throw new IllegalArgumentException("explicit masking: give the mask (or noise) to the forward pass;"
                + " there is nothing to draw");
    }

    private static float[] noise(int count, RandomGenerator random) {
        float[] noise = new float[count];
        for (int i = 0; i < count; i++) {
            noise[i] = random.nextFloat();
        }
        return noise;
    }

    /** SimMIM's generator: per image, a random set of blocks, each covering (maskPatch / patch)^2 tokens. */
    static float[] blocks(BlockMasking masking, ViT backbone, int batch, RandomGenerator random) {
        int scale = masking.maskPatch() / backbone.patchSize();
        int blocksHigh = backbone.image().height() / masking.maskPatch();
        int blocksWide = backbone.image().width() / masking.maskPatch();
        int blockCount = blocksHigh * blocksWide;
        int masked = masking.maskedBlocks(blockCount);
        int gridWidth = backbone.gridWidth();
        float[] mask = new float[batch * backbone.tokens()];
        int[] order = new int[blockCount];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < blockCount; i++) {
                order[i] = i;
            }
            for (int i = 0; i < masked; i++) {
                int j = i + random.nextInt(blockCount - i);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
                int blockRow = order[i] / blocksWide;
                int blockCol = order[i] % blocksWide;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        int token = (blockRow * scale + dy) * gridWidth + blockCol * scale + dx;
                        mask[b * backbone.tokens() + token] = 1f;
                    }
                }
            }
        }
        return mask;
    }
}
