package dev.mim4j.models.mim;

import static org.bytedeco.pytorch.global.torch.pixel_shuffle;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.recipe.LinearPixelDecoder;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Patches;
import dev.mim4j.models.parts.PatchConvolution;
import org.bytedeco.pytorch.Tensor;

/**
 * SimMIM's decoder: the encoder's grid tokens laid out on their grid, a 1x1 convolution to
 * {@code stride * stride * C} channels ({@code 0}, the name in SimMIM's {@code nn.Sequential}), then
 * a pixel shuffle back to an image, cut into patches. The stride is the pixels per output token:
 * the patch size of a ViT, larger after patch merging. It needs every grid token, so it follows an
 * encoder that replaces masked tokens (the recipe spec enforces it).
 */
public final class LinearPixelDecoderModule extends DecoderModule {

    private final int prefix;
    private final TokenGrid output;
    private final int patchSize;
    private final PatchConvolution projection;

    /** The compiler of {@link LinearPixelDecoder}. */
    public static LinearPixelDecoderModule compile(LinearPixelDecoder spec, Backbone backbone, MaskedTokens handling,
            int predicted) {
        return new LinearPixelDecoderModule(backbone);
    }

    private LinearPixelDecoderModule(Backbone backbone) {
        prefix = backbone.prefixTokens();
        output = backbone.outputGrid();
        patchSize = backbone.grid().patchSize();
        int stride = output.patchSize();
        projection = child("0", new PatchConvolution(backbone.width(),
                (long) stride * stride * backbone.image().channels(), 1));
    }

    /**
     * @param encoded the encoder's output over every grid token, {@code [batch, prefix + tokens, width]}
     * @return the reconstruction as patches {@code [batch, tokens, p * p * C]}
     */
    @Override
    public Tensor forward(Tensor encoded, MaskSample sample) {
        long batch = encoded.size(0);
        long width = encoded.size(2);
        Tensor tokens = encoded.narrow(1, prefix, encoded.size(1) - prefix);
        Tensor grid = tokens.transpose(1, 2).reshape(batch, width, output.rows(), output.columns());
        return Patches.patchify(pixel_shuffle(projection.forward(grid), output.patchSize()), patchSize);
    }
}
