package dev.mim4j.models.backbone;

import dev.mim4j.models.parts.PatchConvolution;
import dev.mim4j.models.parts.NormModule;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.Tensor;

/**
 * Images to patch tokens: a convolution whose kernel and stride are the patch size
 * ({@code patch_embed.proj}), flattened to {@code [batch, tokens, width]} in row-major grid order.
 */
public final class PatchEmbed extends PartModule {

    private final PatchConvolution proj;
    private final NormModule norm;

    /** @param norm normalises the embedded patches ({@code norm}, Swin's patch_norm), or null */
    PatchEmbed(int channels, int width, int patchSize, NormModule norm) {
        proj = child("proj", new PatchConvolution(channels, width, patchSize));
        this.norm = norm == null ? null : child("norm", norm);
    }

    /** The convolution, for initialisation. */
    PatchConvolution proj() {
        return proj;
    }

    /** {@code [batch, channels, height, width]} to {@code [batch, tokens, width]}. */
    public Tensor forward(Tensor images) {
        Tensor tokens = proj.forward(images).flatten(2, 3).transpose(1, 2);
        return norm == null ? tokens : norm.forward(tokens);
    }
}
