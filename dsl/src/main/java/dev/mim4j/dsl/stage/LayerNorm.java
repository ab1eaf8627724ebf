package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.positive;

/** Layer normalisation over the token width, as after the last block of a backbone. */
public record LayerNorm(double eps) implements Stage<Tokens, Tokens> {

    public LayerNorm {
        positive("layer norm epsilon", eps);
    }

    @Override
    public Shape infer(Shape input) {
        return input.requireTokens();
    }
}
