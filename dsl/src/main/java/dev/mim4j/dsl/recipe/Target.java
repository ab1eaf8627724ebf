package dev.mim4j.dsl.recipe;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mim4j.dsl.Backbone;

/**
 * What the decoder learns to predict for each patch. {@link PixelTarget} is the built-in one (raw
 * or per-patch normalised pixels); a target written outside the library implements this
 * interface, registers a compiler in the models module, and joins spec JSON with
 * {@link dev.mim4j.dsl.SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface Target {

    /** The raw pixels of each patch, as SimMIM predicts them. */
    static PixelTarget pixels() {
        return new PixelTarget(false);
    }

    /** Checks that the target can be made for {@code backbone}'s patches, or throws a SpecException. */
    void validate(Backbone backbone);

    /**
     * How many values it holds per token of {@code backbone}'s patch grid ({@code backbone.grid()}): the width
     * the decoder must predict, {@code p * p * C} for pixels.
     */
    int width(Backbone backbone);

    /** A few words for {@link MimRecipe#describe()}, e.g. "normalised pixels". */
    String describe();
}
