package dev.mim4j.dsl.recipe;

/**
 * What the encoder does with the tokens of masked patches; a backbone's pipeline declares the
 * point where each is done ({@link dev.mim4j.dsl.stage.MaskedTokenPoint}).
 */
public enum MaskedTokens {
    /** MAE's: masked tokens are removed, so the encoder sees the visible tokens only. */
    DROP("drop masked tokens", "a DropMaskedTokens stage; stages that need the whole token grid"
            + " (window attention, patch merging) cannot follow dropped tokens"),
    /**
     * SimMIM's: masked patch tokens are replaced by a learned mask token before the position
     * embedding, and the encoder sees all tokens.
     */
    REPLACE_WITH_TOKEN("replace masked tokens with a mask token", "a ReplaceMaskedTokens stage");

    private final String description;
    private final String requirement;

    MaskedTokens(String description, String requirement) {
        this.description = description;
        this.requirement = requirement;
    }

    /** A few words for {@link MimRecipe#describe()}, e.g. "drop masked tokens". */
    public String describe() {
        return description;
    }

    /** What a backbone's pipeline needs for this handling, for the sentence that refuses it. */
    public String requirement() {
        return requirement;
    }
}
