package dev.mim4j.dsl.recipe;

import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.TokenGrid;
import java.util.random.RandomGenerator;

/**
 * No masking policy of its own: the caller gives the mask, or the noise that orders the patches,
 * at each step, e.g. to replay the masks of a reference run (pre-training takes a source of masks
 * for it: {@code Pretrainer.masks}).
 */
public record ExplicitMasking() implements Masking {

    @Override
    public void validate(TokenGrid grid) {
        // any mask the caller gives is checked against the grid when it is given
    }

    /**
     * @throws SpecException always: there is no policy to draw from
     */
    @Override
    public boolean[] sample(TokenGrid grid, RandomGenerator random) {
        throw new SpecException("explicit masking has no policy to draw masks from: give the mask (or the noise)"
                + " to the forward pass, or a source of masks to the pre-training (Pretrainer.masks)");
    }

    @Override
    public String describe() {
        return "explicit mask";
    }
}
