package dev.mim4j.models.mim;

import static org.bytedeco.pytorch.global.torch.pixel_shuffle;

import dev.mim4j.dsl.ViT;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * SimMIM's decoder: the encoder's patch tokens laid out on their grid, a 1x1 convolution to
 * {@code p * p * C} channels ({@code 0}, the name in SimMIM's {@code nn.Sequential}), then pixel
 * shuffle back to an image. It needs every patch token, so it follows an encoder that replaces
 * masked tokens rather than dropping them (the recipe spec enforces it).
 */
final class LinearPixelDecoderModule extends Module {

    private final ViT backbone;
    private final Conv2dImpl projection;

    LinearPixelDecoderModule(ViT backbone) {
        this.backbone = backbone;
        int channels = backbone.patchSize() * backbone.patchSize() * backbone.image().channels();
        projection = register_module("0", new Conv2dImpl(new Conv2dOptions(backbone.width(), channels,
                new LongPointer(1L, 1L))));
    }

    /**
     * @param encoded the encoder's output over every patch, {@code [batch, prefix + tokens, width]}
     * @return the reconstructed images {@code [batch, C, H, W]}
     */
    Tensor forward(Tensor encoded) {
        long batch = encoded.size(0);
        long width = encoded.size(2);
        int prefix = backbone.prefixTokens();
        Tensor patches = encoded.narrow(1, prefix, encoded.size(1) - prefix);
        Tensor grid = patches.transpose(1, 2).reshape(batch, width, backbone.gridHeight(), backbone.gridWidth());
        return pixel_shuffle(projection.forward(grid), backbone.patchSize());
    }
}
