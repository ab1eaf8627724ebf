package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.multipleOf;

import dev.mim4j.dsl.part.NormPart;

/**
 * Cuts images into square patches and embeds each as one token of {@code width} (timm's
 * {@code patch_embed.proj}, a convolution with kernel and stride {@code patchSize}), giving the
 * whole grid of patch tokens; Swin then normalises them ({@code patch_embed.norm}).
 *
 * @param norm the normalisation of the embedded patches, or null for none (ViT)
 */
public record Patchify(int patchSize, int width, NormPart norm) implements Stage<Images, Grid> {

    public Patchify {
        atLeastOne("patch size", patchSize);
        atLeastOne("patch embedding width", width);
    }

    /** A patch embedding without a norm, as ViT's. */
    public Patchify(int patchSize, int width) {
        this(patchSize, width, null);
    }

    /** The record's form, without the norm when there is none. */
    @Override
    public String toString() {
        return "Patchify[patchSize=" + patchSize + ", width=" + width + (norm == null ? "" : ", norm=" + norm) + "]";
    }

    @Override
    public Shape infer(Shape input) {
        input.requireImages();
        int height = multipleOf("image height", input.size(Shape.HEIGHT), "patch size", patchSize);
        int imageWidth = multipleOf("image width", input.size(Shape.WIDTH), "patch size", patchSize);
        return Shape.grid(height / patchSize, imageWidth / patchSize, width);
    }
}
