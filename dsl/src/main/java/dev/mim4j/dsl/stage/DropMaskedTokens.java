package dev.mim4j.dsl.stage;

import dev.mim4j.dsl.recipe.MaskedTokens;

/**
 * Where the tokens of masked patches are dropped: what follows sees the visible tokens only, so
 * the grid becomes a plain sequence (of all its tokens when nothing is masked).
 */
public record DropMaskedTokens() implements Stage<Grid, Tokens>, MaskedTokenPoint {

    @Override
    public MaskedTokens handling() {
        return MaskedTokens.DROP;
    }

    @Override
    public Shape infer(Shape input) {
        Shape grid = input.requireGrid();
        return Shape.tokens(grid.tokenCount(), grid.size(Shape.WIDTH));
    }
}
