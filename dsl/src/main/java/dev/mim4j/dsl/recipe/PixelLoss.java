package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.given;

/**
 * The error of each element of a patch (squared or absolute), averaged over each patch's values,
 * then over the masked patches (or over all patches).
 *
 * <p>The flag is not called {@code maskedOnly}, because a record accessor of that name would
 * clash with the fluent {@link #maskedOnly()}.
 *
 * @param kind the error of one element
 * @param maskedPatchesOnly whether only masked patches count, as in both MAE and SimMIM
 */
public record PixelLoss(Kind kind, boolean maskedPatchesOnly) implements Loss {

    /** The error of one element of a patch. */
    public enum Kind {
        /** The squared difference, as in MAE. */
        MSE,
        /** The absolute difference, as in SimMIM. */
        L1
    }

    public PixelLoss {
        given("loss kind", kind);
    }

    /** This loss over the masked patches only. */
    public PixelLoss maskedOnly() {
        return new PixelLoss(kind, true);
    }

    /** This loss over all patches, visible ones included. */
    public PixelLoss everywhere() {
        return new PixelLoss(kind, false);
    }

    @Override
    public String describe() {
        return kind + (maskedPatchesOnly ? " on masked patches" : " on all patches");
    }
}
