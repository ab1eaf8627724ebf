package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;
import static dev.mim4j.dsl.SpecChecks.multipleOf;

import dev.mim4j.dsl.ImageSpec;

/**
 * Folds one token per patch back into images, in MAE's layout: a token holds the patch's pixels
 * as (row, column, channel), and tokens run over the grid row by row.
 */
public record Unpatchify(int patchSize, int channels, int gridHeight, int gridWidth)
        implements Stage<Tokens, Images> {

    public Unpatchify {
        atLeastOne("patch size", patchSize);
        atLeastOne("channels", channels);
        atLeastOne("grid height", gridHeight);
        atLeastOne("grid width", gridWidth);
    }

    /** The unpatchify that rebuilds {@code image} from its patches of side {@code patchSize}. */
    public static Unpatchify to(ImageSpec image, int patchSize) {
        given("image", image);
        atLeastOne("patch size", patchSize);
        int height = multipleOf("image height", image.height(), "patch size", patchSize);
        int width = multipleOf("image width", image.width(), "patch size", patchSize);
        return new Unpatchify(patchSize, image.channels(), height / patchSize, width / patchSize);
    }

    @Override
    public Shape infer(Shape input) {
        input.requireTokens();
        int width = input.size(Shape.WIDTH);
        int patchDim = patchSize * patchSize * channels;
        check(width == patchDim,
                "token width %d does not hold one %dx%d patch of %d channels (%d values)",
                width, patchSize, patchSize, channels, patchDim);
        int count = input.tokenCount();
        check(count == gridHeight * gridWidth,
                "token count %d does not match the %dx%d grid of %d patches",
                count, gridHeight, gridWidth, gridHeight * gridWidth);
        return Shape.images(channels, gridHeight * patchSize, gridWidth * patchSize);
    }
}
