package dev.mim4j.dsl;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;

/**
 * A grid of tokens over an image: {@code rows x columns} tokens, each covering
 * {@code patchSize x patchSize} pixels. Masks, pixel targets and predictions live on the patch
 * grid of a backbone; a hierarchical backbone's output grid is coarser.
 */
public record TokenGrid(int rows, int columns, int patchSize) {

    public TokenGrid {
        atLeastOne("grid rows", rows);
        atLeastOne("grid columns", columns);
        atLeastOne("grid patch size", patchSize);
        check((long) rows * columns <= Integer.MAX_VALUE, "a grid of %d x %d tokens holds more than %,d",
                rows, columns, Integer.MAX_VALUE);
    }

    /** Number of tokens, row-major. */
    public int tokens() {
        return rows * columns;
    }

    /** Height in pixels of the image the grid covers. */
    public int imageHeight() {
        return rows * patchSize;
    }

    /** Width in pixels of the image the grid covers. */
    public int imageWidth() {
        return columns * patchSize;
    }

    /** "14x14 of 16 px". */
    public String describe() {
        return rows + "x" + columns + " of " + patchSize + " px";
    }
}
