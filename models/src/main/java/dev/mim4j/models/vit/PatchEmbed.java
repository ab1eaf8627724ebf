package dev.mim4j.models.vit;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Images to patch tokens: a convolution whose kernel and stride are the patch size
 * ({@code patch_embed.proj}), flattened to {@code [batch, tokens, width]} in row-major grid order.
 */
public final class PatchEmbed extends Module {

    private final Conv2dImpl proj;

    PatchEmbed(int channels, int width, int patchSize) {
        Conv2dOptions options = new Conv2dOptions(channels, width, new LongPointer(patchSize, patchSize));
        options.stride().put(0, patchSize).put(1, patchSize);
        proj = register_module("proj", new Conv2dImpl(options));
    }

    /** The convolution, for initialisation. */
    Conv2dImpl proj() {
        return proj;
    }

    /** {@code [batch, channels, height, width]} to {@code [batch, tokens, width]}. */
    public Tensor forward(Tensor images) {
        return proj.forward(images).flatten(2, 3).transpose(1, 2);
    }
}
