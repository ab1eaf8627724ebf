package dev.mim4j.dsl.recipe;

/** What the encoder does with the tokens of masked patches. */
public enum MaskedTokens {
    /** MAE's: masked tokens are removed, so the encoder sees the visible tokens only. */
    DROP,
    /**
     * SimMIM's: masked patch tokens are replaced by a learned mask token before the position
     * embedding, and the encoder sees all tokens.
     */
    REPLACE_WITH_TOKEN;

    /** A few words for {@link MimRecipe#describe()}, e.g. "drop masked tokens". */
    public String describe() {
        return switch (this) {
            case DROP -> "drop masked tokens";
            case REPLACE_WITH_TOKEN -> "replace masked tokens with a mask token";
        };
    }
}
