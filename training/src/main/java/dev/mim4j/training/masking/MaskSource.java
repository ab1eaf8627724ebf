package dev.mim4j.training.masking;

/**
 * Token masks of one fixed grid, one per call, as a masking policy samples them: {@code 1} marks a
 * masked token, {@code 0} a visible one, row-major over {@code gridHeight x gridWidth} tokens of
 * {@code patchSize x patchSize} pixels.
 */
public interface MaskSource {

    /** The next mask, {@code gridHeight() * gridWidth()} values of 0 or 1. */
    float[] next();

    int gridHeight();

    int gridWidth();

    /** The side in pixels of one token. */
    int patchSize();
}
