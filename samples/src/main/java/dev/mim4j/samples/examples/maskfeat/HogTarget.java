package dev.mim4j.samples.examples.maskfeat;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.recipe.Target;

/**
 * MaskFeat's target (Wei et al. 2022): the histograms of oriented gradients of each patch. Per channel, the
 * gradients of the image (Sobel filters, reflected edges), their magnitudes weighted by a Gaussian window over
 * each patch, summed into {@code bins} orientation bins over [0, pi) in each square cell of {@code cellSize}
 * pixels; each cell's histogram L2-normalised. A patch's target is its cells' histograms, channel by channel:
 * {@code C * bins * (p / cellSize)^2} values. MaskFeat's ImageNet setting is 9 bins in 8-pixel cells of
 * 16-pixel patches: 108 values.
 *
 * @param bins orientation bins, at least 2
 * @param cellSize pixels per side of a cell; it must divide the patch
 */
public record HogTarget(int bins, int cellSize) implements Target {

    /** MaskFeat's 9 bins, in cells of half a patch (one cell per patch for odd patches). */
    public static HogTarget forPatch(int patchSize) {
        return new HogTarget(9, patchSize % 2 == 0 ? patchSize / 2 : patchSize);
    }

    public HogTarget {
        if (bins < 2) {
            throw new SpecException("HOG bins " + bins + " must be at least 2");
        }
        if (cellSize < 1) {
            throw new SpecException("HOG cell size " + cellSize + " must be at least 1 pixel");
        }
    }

    @Override
    public void validate(Backbone backbone) {
        int patch = backbone.grid().patchSize();
        if (patch % cellSize != 0) {
            throw new SpecException("HOG cells of " + cellSize + " pixels do not tile the " + patch + "-pixel patches;"
                    + " give a cell size that divides " + patch);
        }
    }

    /** {@code C * bins * (p / cellSize)^2}. */
    @Override
    public int width(Backbone backbone) {
        int cells = backbone.grid().patchSize() / cellSize;
        return backbone.image().channels() * bins * cells * cells;
    }

    @Override
    public String describe() {
        return "HOG (" + bins + " bins, " + cellSize + "-pixel cells)";
    }
}
