package dev.mim4j.dsl.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Which patches a recipe hides from the encoder at each step; the models side draws them from an
 * explicit random source, so that a mask can be reproduced.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RandomPatches.class, name = "randomPatches"),
    @JsonSubTypes.Type(value = BlockMasking.class, name = "blocks"),
    @JsonSubTypes.Type(value = ExplicitMasking.class, name = "explicit")
})
public sealed interface Masking permits RandomPatches, BlockMasking, ExplicitMasking {

    /** MAE's masking: a uniformly random {@code ratio} of the patches, drawn per image. */
    static RandomPatches randomPatches(double ratio) {
        return new RandomPatches(ratio);
    }

    /**
     * SimMIM's masking: square blocks of {@code maskPatch} pixels, a {@code ratio} of them drawn
     * per image, each hiding every model patch inside it.
     */
    static BlockMasking blocks(int maskPatch, double ratio) {
        return new BlockMasking(maskPatch, ratio);
    }

    /** No policy: the caller gives the mask, or the noise that orders the patches, each step. */
    static ExplicitMasking explicit() {
        return new ExplicitMasking();
    }

    /** A few words for {@link MimRecipe#describe()}, e.g. "random patches 0.75". */
    String describe();
}
