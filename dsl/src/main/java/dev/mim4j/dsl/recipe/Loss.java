package dev.mim4j.dsl.recipe;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mim4j.dsl.Backbone;

/**
 * How a prediction is compared with its target. {@link PixelLoss} is the built-in one (MSE or L1
 * per patch); a loss written outside the library implements this interface, registers a compiler
 * in the models module, and joins spec JSON with {@link dev.mim4j.dsl.SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface Loss {

    /** Mean squared error on the masked patches, as in MAE. */
    static PixelLoss mse() {
        return new PixelLoss(PixelLoss.Kind.MSE, true);
    }

    /** Mean absolute error on the masked patches, as in SimMIM. */
    static PixelLoss l1() {
        return new PixelLoss(PixelLoss.Kind.L1, true);
    }

    /** Checks that the loss fits {@code backbone}'s patches, or throws a SpecException; most losses fit any. */
    default void validate(Backbone backbone) {
    }

    /** A few words for {@link MimRecipe#describe()}, e.g. "MSE on masked patches". */
    String describe();
}
