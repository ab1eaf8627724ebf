package dev.mim4j.dsl.recipe;

/**
 * What the decoder learns to predict for each patch: its pixels, either as they are or
 * normalised per patch (MAE's {@code norm_pix_loss}).
 *
 * <p>The flag is not called {@code normalizedPerPatch}, because a record accessor of that name
 * would clash with the fluent {@link #normalizedPerPatch()}.
 *
 * @param perPatchNormalized whether each patch's {@code p * p * C} values are shifted by their
 *     mean and divided by the square root of their unbiased variance plus {@link #NORM_EPS}
 */
public record Target(boolean perPatchNormalized) {

    /** The epsilon added to each patch's variance before its square root, as in MAE. */
    public static final double NORM_EPS = 1e-6;

    /** The raw pixels of each patch, as SimMIM predicts them. */
    public static Target pixels() {
        return new Target(false);
    }

    /** This target normalised per patch, as MAE predicts it by default. */
    public Target normalizedPerPatch() {
        return new Target(true);
    }

    /** A few words for {@link MimRecipe#describe()}: "pixels" or "normalised pixels". */
    public String describe() {
        return perPatchNormalized ? "normalised pixels" : "pixels";
    }
}
