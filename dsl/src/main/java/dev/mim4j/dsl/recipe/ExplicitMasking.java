package dev.mim4j.dsl.recipe;

/**
 * No masking policy of its own: the caller gives the mask, or the noise that orders the patches,
 * at each step, e.g. to replay the masks of a reference run.
 */
public record ExplicitMasking() implements Masking {

    @Override
    public String describe() {
        return "explicit mask";
    }
}
