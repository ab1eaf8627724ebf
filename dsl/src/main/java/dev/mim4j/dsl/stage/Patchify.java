package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.multipleOf;

/**
 * Cuts images into square patches and embeds each as one token of {@code width} (timm's
 * {@code patch_embed.proj}, a convolution with kernel and stride {@code patchSize}), giving the
 * whole grid of patch tokens.
 */
public record Patchify(int patchSize, int width) implements Stage<Images, Grid> {

    public Patchify {
        atLeastOne("patch size", patchSize);
        atLeastOne("patch embedding width", width);
    }

    @Override
    public Shape infer(Shape input) {
        input.requireImages();
        int height = multipleOf("image height", input.size(Shape.HEIGHT), "patch size", patchSize);
        int imageWidth = multipleOf("image width", input.size(Shape.WIDTH), "patch size", patchSize);
        return Shape.grid(height / patchSize, imageWidth / patchSize, width);
    }
}
