package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.check;

import dev.mim4j.dsl.Backbone;

/**
 * Each patch's pixels, either as they are or normalised per patch (MAE's {@code norm_pix_loss}).
 *
 * <p>The flag is not called {@code normalizedPerPatch}, because a record accessor of that name
 * would clash with the fluent {@link #normalizedPerPatch()}.
 *
 * @param perPatchNormalized whether each patch's {@code p * p * C} values are shifted by their
 *     mean and divided by the square root of their unbiased variance plus {@link #NORM_EPS}
 */
public record PixelTarget(boolean perPatchNormalized) implements Target {

    /** The epsilon added to each patch's variance before its square root, as in MAE. */
    public static final double NORM_EPS = 1e-6;

    /** This target normalised per patch, as MAE predicts it by default. */
    public PixelTarget normalizedPerPatch() {
        return new PixelTarget(true);
    }

    @Override
    public void validate(Backbone backbone) {
        check(!perPatchNormalized || backbone.patchDim() >= 2,
                "per-patch normalised targets need at least 2 values per patch, patch %dx%dx%d has %d",
                backbone.grid().patchSize(), backbone.grid().patchSize(), backbone.image().channels(),
                backbone.patchDim());
    }

    /** {@code p * p * C}: every pixel of the patch. */
    @Override
    public int width(Backbone backbone) {
        return backbone.patchDim();
    }

    @Override
    public String describe() {
        return perPatchNormalized ? "normalised pixels" : "pixels";
    }
}
