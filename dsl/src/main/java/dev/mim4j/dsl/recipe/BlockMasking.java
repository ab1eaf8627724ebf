package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.openFraction;

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

    @Override
    public String describe() {
        return maskPatch + "x" + maskPatch + " blocks " + ratio;
    }
}
