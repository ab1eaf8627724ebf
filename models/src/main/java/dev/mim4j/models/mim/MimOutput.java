package dev.mim4j.models.mim;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.models.Patches;
import org.bytedeco.pytorch.Tensor;

/**
 * What one forward pass of a recipe gives: the scalar {@code loss}, the {@code prediction} of every
 * patch's pixels {@code [batch, tokens, p * p * C]} in MAE's patch layout (in the target's space:
 * normalised per patch when the target is), the mask sample used, and the encoder's output
 * {@code latent} ({@code [batch, prefix + visible, width]} when masked tokens are dropped, else all
 * tokens).
 */
public record MimOutput(Tensor loss, Tensor prediction, MaskSample sample, Tensor latent, Backbone backbone) {

    /** The binary mask {@code [batch, tokens]}, 1 = masked. */
    public Tensor mask() {
        return sample.mask();
    }

    /** The prediction laid out as images {@code [batch, C, H, W]}. */
    public Tensor reconstruction() {
        TokenGrid grid = backbone.grid();
        return Patches.unpatchify(prediction, grid.patchSize(), backbone.image().channels(), grid.rows(),
                grid.columns());
    }
}
