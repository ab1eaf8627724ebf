package dev.mim4j.dsl.recipe;

import java.util.random.RandomGenerator;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.TokenGrid;

/**
 * Which patches a recipe hides from the encoder at each step. A policy draws each image's mask in
 * plain Java from the random source it is given, so the same source state gives the same masks, in
 * training, in pictures and in statistics such as AvgDist alike.
 *
 * <p>Open: a policy written outside the library implements this interface, and joins spec JSON with
 * {@link dev.mim4j.dsl.SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface Masking {

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

    /**
     * {@link #blocks} whose size suits {@code backbone}'s images: {@code preferredSize} pixels (SimMIM's 32) when
     * such blocks tile the image into at least 4, else the largest multiple of the patch that does, else one
     * patch.
     */
    static BlockMasking blocksTiling(Backbone backbone, int preferredSize, double ratio) {
        int p = backbone.grid().patchSize();
        int h = backbone.image().height();
        int w = backbone.image().width();
        for (int block = preferredSize - preferredSize % p; block >= p; block -= p) {
            if (h % block == 0 && w % block == 0 && (h / block) * (w / block) >= 4) {
                return blocks(block, ratio);
            }
        }
        return blocks(p, ratio);
    }

    /** No policy: the caller gives the mask, or the noise that orders the patches, each step. */
    static ExplicitMasking explicit() {
        return new ExplicitMasking();
    }

    /**
     * Checks that the policy can mask {@code grid}, or throws a {@link dev.mim4j.dsl.SpecException}
     * naming the numbers; called when a recipe is built.
     */
    void validate(TokenGrid grid);

    /**
     * One image's mask over the grid's tokens, row-major, {@code true} where masked, drawn from
     * {@code random} only. A recipe that drops masked tokens needs the same count in every image.
     */
    boolean[] sample(TokenGrid grid, RandomGenerator random);

    /** A few words for {@link MimRecipe#describe()}, e.g. "random patches 0.75". */
    String describe();

    /**
     * This policy masking {@code ratio} of what it masks, as a mask-ratio sweep changes it.
     *
     * @throws dev.mim4j.dsl.SpecException for a policy without a ratio, or a ratio it cannot take
     */
    default Masking withRatio(double ratio) {
        throw new dev.mim4j.dsl.SpecException("masking " + describe() + " has no mask ratio to set to " + ratio);
    }

    /**
     * This policy with masked blocks of {@code maskPatch} pixels.
     *
     * @throws dev.mim4j.dsl.SpecException for a policy without blocks
     */
    default Masking withMaskPatch(int maskPatch) {
        throw new dev.mim4j.dsl.SpecException("masking " + describe() + " has no mask blocks to set to "
                + maskPatch + " pixels; SimMIM's block masking has them");
    }
}
