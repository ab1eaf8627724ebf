package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.given;

/**
 * How a prediction is compared with its target: the error of each element, averaged over each
 * patch's {@code p * p * C} values, then averaged over the masked patches (or over all patches).
 *
 * <p>The flag is not called {@code maskedOnly}, because a record accessor of that name would
 * clash with the fluent {@link #maskedOnly()}.
 *
 * @param kind the error of one element
 * @param maskedPatchesOnly whether only masked patches count, as in both MAE and SimMIM
 */
public record Loss(Kind kind, boolean maskedPatchesOnly) {

    /** The error of one element of a patch. */
    public enum Kind {
        /** The squared difference, as in MAE. */
        MSE,
        /** The absolute difference, as in SimMIM. */
        L1
    }

    public Loss {
        given("loss kind", kind);
    }

    /** Mean squared error on the masked patches. */
    public static Loss mse() {
        return new Loss(Kind.MSE, true);
    }

    /** Mean absolute error on the masked patches. */
    public static Loss l1() {
        return new Loss(Kind.L1, true);
    }

    /** This loss over the masked patches only. */
    public Loss maskedOnly() {
        return new Loss(kind, true);
    }

    /** This loss over all patches, visible ones included. */
    public Loss everywhere() {
        return new Loss(kind, false);
    }

    /** A few words for {@link MimRecipe#describe()}, e.g. "MSE on masked patches". */
    public String describe() {
        return kind + (maskedPatchesOnly ? " on masked patches" : " on all patches");
    }
}
