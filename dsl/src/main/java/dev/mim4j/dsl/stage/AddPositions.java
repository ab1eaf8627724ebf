package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.AbsolutePosition;

/**
 * Adds absolute positions to the patch tokens; it comes before {@link PrependClassToken}, as in
 * MAE, so that masking can drop patch tokens that already carry their positions.
 */
public record AddPositions(AbsolutePosition scheme) implements Stage<Tokens, Tokens> {

    public AddPositions {
        given("position scheme", scheme);
        check(scheme != AbsolutePosition.NONE,
                "position scheme NONE adds nothing; leave the AddPositions stage out");
    }

    @Override
    public Shape infer(Shape input) {
        return input.requireTokens();
    }
}
