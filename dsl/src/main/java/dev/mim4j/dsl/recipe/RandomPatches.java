package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.openFraction;

import dev.mim4j.dsl.TokenGrid;
import java.util.Comparator;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

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

    /** At least one token must stay visible for the encoder and one be masked for the loss. */
    @Override
    public void validate(TokenGrid grid) {
        int tokens = grid.tokens();
        check(kept(tokens) >= 1, "mask ratio %s keeps no token of %d", ratio, tokens);
        check(masked(tokens) >= 1, "mask ratio %s masks no token of %d", ratio, tokens);
    }

    /** MAE's draw: one uniform number per token; the {@link #kept} smallest stay visible. */
    @Override
    public boolean[] sample(TokenGrid grid, RandomGenerator random) {
        int tokens = grid.tokens();
        float[] noise = new float[tokens];
        for (int i = 0; i < tokens; i++) {
            noise[i] = random.nextFloat();
        }
        int[] order = IntStream.range(0, tokens).boxed()
                .sorted(Comparator.comparingDouble(i -> noise[i]))
                .mapToInt(Integer::intValue)
                .toArray();
        boolean[] mask = new boolean[tokens];
        for (int rank = kept(tokens); rank < tokens; rank++) {
            mask[order[rank]] = true;
        }
        return mask;
    }

    @Override
    public RandomPatches withRatio(double ratio) {
        return new RandomPatches(ratio);
    }

    @Override
    public String describe() {
        return "random patches " + ratio;
    }
}
