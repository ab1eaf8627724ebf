package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.part.NormPart;

/**
 * Swin's patch merging between stages: each 2x2 neighbourhood of the grid is concatenated (in the
 * official order: top-left, bottom-left, top-right, bottom-right), normalised ({@code norm}, over
 * four times the width) and projected to twice the width without bias ({@code reduction}). The grid
 * halves in both directions.
 */
public record PatchMerging(NormPart norm) implements Stage<Grid, Grid> {

    public PatchMerging {
        given("patch merging norm", norm);
    }

    @Override
    public Shape infer(Shape input) {
        input.requireGrid();
        int rows = input.size(Shape.ROWS);
        int columns = input.size(Shape.COLUMNS);
        check(rows % 2 == 0 && columns % 2 == 0, "patch merging needs an even grid, not %dx%d", rows, columns);
        return Shape.grid(rows / 2, columns / 2, 2 * input.size(Shape.WIDTH));
    }
}
