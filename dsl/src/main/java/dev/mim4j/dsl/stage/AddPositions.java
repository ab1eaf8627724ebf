package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.AbsolutePosition;

/**
 * Adds absolute positions to the patch tokens of a whole grid; it comes before masked tokens are
 * dropped, as in MAE, so that the kept tokens carry their positions. The table ({@code pos_embed})
 * also holds a row for each of {@code prefixTokens} tokens that a later {@link PrependClassToken}
 * adds (a zero row for MAE's sin-cos table).
 */
public record AddPositions(AbsolutePosition scheme, int prefixTokens) implements Stage<Grid, Grid> {

    public AddPositions {
        given("position scheme", scheme);
        check(scheme != AbsolutePosition.NONE,
                "position scheme NONE adds nothing; leave the AddPositions stage out");
        check(prefixTokens >= 0, "prefix tokens %d must be zero or more", prefixTokens);
    }

    /** Positions for the patch tokens only. */
    public AddPositions(AbsolutePosition scheme) {
        this(scheme, 0);
    }

    @Override
    public Shape infer(Shape input) {
        Shape grid = input.requireGrid();
        check(scheme != AbsolutePosition.SIN_COS_2D || grid.size(Shape.WIDTH) % 4 == 0,
                "width %d is not a multiple of 4, which 2-D sin-cos positions need", grid.size(Shape.WIDTH));
        return grid;
    }
}
