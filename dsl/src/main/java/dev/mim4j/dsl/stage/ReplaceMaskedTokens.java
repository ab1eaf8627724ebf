package dev.mim4j.dsl.stage;

import dev.mim4j.dsl.recipe.MaskedTokens;

/**
 * Where the tokens of masked patches are replaced by a learned mask token ({@code mask_token}), the
 * whole grid staying in place.
 */
public record ReplaceMaskedTokens() implements Stage<Grid, Grid>, MaskedTokenPoint {

    @Override
    public MaskedTokens handling() {
        return MaskedTokens.REPLACE_WITH_TOKEN;
    }

    @Override
    public Shape infer(Shape input) {
        return input.requireGrid();
    }
}
