package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.multipleOf;
import static dev.mim4j.dsl.SpecChecks.openFraction;

import dev.mim4j.dsl.TokenGrid;
import java.util.random.RandomGenerator;

/**
 * SimMIM's masking: the image is cut into square blocks of a mask patch coarser than the model's
 * patch, a ratio of the blocks is masked, and each masked block masks every model patch inside it.
 *
 * @param maskPatch side of a block in pixels; a multiple of the model's patch size
 * @param ratio fraction of the blocks to mask, in (0, 1)
 */
public record BlockMasking(int maskPatch, double ratio) implements Masking {

    public BlockMasking {
        atLeastOne("mask patch", maskPatch);
        openFraction("mask ratio", ratio);
    }

    /**
     * Blocks masked out of {@code blocks}, rounded up like SimMIM's
     * {@code int(np.ceil(token_count * mask_ratio))}.
     */
    public int maskedBlocks(int blocks) {
        atLeastOne("blocks", blocks);
        return (int) Math.ceil(blocks * ratio);
    }

    /**
     * Blocks must tile both the model's patches and the image, and at least one block must stay
     * visible; rounding up always masks at least one.
     */
    @Override
    public void validate(TokenGrid grid) {
        multipleOf("mask patch", maskPatch, "model patch", grid.patchSize());
        multipleOf("image height", grid.imageHeight(), "mask patch", maskPatch);
        multipleOf("image width", grid.imageWidth(), "mask patch", maskPatch);
        int blocks = (grid.imageHeight() / maskPatch) * (grid.imageWidth() / maskPatch);
        check(maskedBlocks(blocks) < blocks, "mask ratio %s masks every block of %d", ratio, blocks);
    }

    /** SimMIM's generator: a random set of {@link #maskedBlocks} blocks, each covering (maskPatch / patch)^2 tokens. */
    @Override
    public boolean[] sample(TokenGrid grid, RandomGenerator random) {
        int scale = maskPatch / grid.patchSize();
        int blocksWide = grid.imageWidth() / maskPatch;
        int blockCount = (grid.imageHeight() / maskPatch) * blocksWide;
        int[] order = new int[blockCount];
        for (int i = 0; i < blockCount; i++) {
            order[i] = i;
        }
        boolean[] mask = new boolean[grid.tokens()];
        for (int i = 0; i < maskedBlocks(blockCount); i++) {
            int j = i + random.nextInt(blockCount - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            int blockRow = order[i] / blocksWide;
            int blockColumn = order[i] % blocksWide;
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    mask[(blockRow * scale + dy) * grid.columns() + blockColumn * scale + dx] = true;
                }
            }
        }
        return mask;
    }

    @Override
    public BlockMasking withRatio(double ratio) {
        return new BlockMasking(maskPatch, ratio);
    }

    @Override
    public BlockMasking withMaskPatch(int maskPatch) {
        return new BlockMasking(maskPatch, ratio);
    }

    @Override
    public String describe() {
        return maskPatch + "x" + maskPatch + " blocks " + ratio;
    }
}
