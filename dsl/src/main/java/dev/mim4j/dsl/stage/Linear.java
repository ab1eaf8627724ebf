package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;

/** A linear map of every token to {@code outWidth}, e.g. an encoder-to-decoder projection. */
public record Linear(int outWidth, boolean bias) implements Stage<Tokens, Tokens> {

    public Linear {
        atLeastOne("linear output width", outWidth);
    }

    @Override
    public Shape infer(Shape input) {
        return Shape.tokens(input.tokenCount(), outWidth);
    }
}
