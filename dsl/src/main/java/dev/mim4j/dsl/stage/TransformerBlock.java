package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.BlockSpec;

/** One pre-norm transformer block over tokens, as specified by a {@link BlockSpec}. */
public record TransformerBlock(BlockSpec block) implements Stage<Tokens, Tokens> {

    public TransformerBlock {
        given("block", block);
    }

    @Override
    public Shape infer(Shape input) {
        int width = input.requireTokens().size(Shape.WIDTH);
        check(width == block.width(),
                "token width %d does not match block width %d", width, block.width());
        return Shape.tokens(input.tokenCount(), width);
    }
}
