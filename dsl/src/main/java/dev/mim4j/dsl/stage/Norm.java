package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.part.NormPart;

/** Normalises every token, as after the last block of a backbone. */
public record Norm(NormPart part) implements Stage<Tokens, Tokens> {

    public Norm {
        given("norm", part);
    }

    @Override
    public Shape infer(Shape input) {
        return Shape.tokens(input.tokenCount(), input.size(Shape.WIDTH));
    }
}
