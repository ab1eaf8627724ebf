package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.openFraction;

/**
 * MAE's masking: each image keeps a uniformly random subset of its patch tokens and masks the
 * rest, the same number in every image so that the visible tokens form one batch.
 *
 * @param ratio fraction of the patch tokens to mask, in (0, 1)
 */
public record RandomPatches(double ratio) implements Masking {

    public RandomPatches {
        openFraction("mask ratio", ratio);
    }

    /**
     * Tokens kept visible out of {@code tokens}, computed in double and truncated exactly like
     * MAE's {@code int(L * (1 - mask_ratio))}.
     */
    public int kept(int tokens) {
        atLeastOne("tokens", tokens);
        return (int) Math.floor(tokens * (1 - ratio));
    }

    /** Tokens masked out of {@code tokens}: all that {@link #kept} does not keep. */
    public int masked(int tokens) {
        return tokens - kept(tokens);
    }

    @Override
    public String describe() {
        return "random patches " + ratio;
    }
}
