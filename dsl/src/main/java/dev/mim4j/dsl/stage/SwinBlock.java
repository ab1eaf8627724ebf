package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.fraction;
import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;

/**
 * One Swin Transformer block over a whole grid: {@code x + attn(norm1(x))} where attention is
 * restricted to {@code window x window} windows (shifted cyclically by {@code shift} first, with
 * Swin's -100 mask between regions that the shift brought together) and adds a learned relative
 * position bias per window offset ({@code attn.relative_position_bias_table}); then
 * {@code x + mlp(norm2(x))}. Both residual branches are dropped per sample with {@code dropPath}.
 *
 * @param window side of the windows; it tiles the grid
 * @param shift cyclic shift before the windows, 0 or less than {@code window}
 * @param qkvBias whether the fused qkv projection has a bias
 */
public record SwinBlock(int width, int heads, int window, int shift, MlpPart mlp, NormPart norm, boolean qkvBias,
        double dropPath) implements Stage<Grid, Grid> {

    public SwinBlock {
        atLeastOne("swin block width", width);
        atLeastOne("swin block heads", heads);
        check(width % heads == 0, "swin block width %d is not divisible by %d heads", width, heads);
        atLeastOne("window", window);
        check(shift >= 0 && shift < window, "shift %d must be in [0, window %d)", shift, window);
        given("mlp", mlp).validate(width);
        given("norm", norm);
        fraction("drop path", dropPath);
    }

    @Override
    public Shape infer(Shape input) {
        Shape grid = input.requireGrid();
        check(grid.size(Shape.WIDTH) == width, "token width %d does not match swin block width %d",
                grid.size(Shape.WIDTH), width);
        check(grid.size(Shape.ROWS) % window == 0 && grid.size(Shape.COLUMNS) % window == 0,
                "window %d does not tile the %dx%d grid", window, grid.size(Shape.ROWS), grid.size(Shape.COLUMNS));
        return grid;
    }
}
