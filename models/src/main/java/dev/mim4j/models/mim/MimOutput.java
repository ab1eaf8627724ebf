package dev.mim4j.models.mim;

import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Patches;
import org.bytedeco.pytorch.Tensor;

/**
 * What one forward pass of a recipe gives: the scalar {@code loss}, the {@code prediction} of every
 * patch in the target's space {@code [batch, tokens, D]} (for pixels {@code D = p * p * C}, MAE's patch layout,
 * normalised per patch when the target is), the mask sample used, and the encoder's output
 * {@code latent} ({@code [batch, prefix + visible, width]} when masked tokens are dropped, else all
 * tokens).
 *
 * <p>Native memory: its tensors are the caller's; {@link #close()} frees them.
 */
public record MimOutput(Tensor loss, Tensor prediction, MaskSample sample, Tensor latent, Backbone backbone)
        implements AutoCloseable {

    /** Every tensor it holds, the sample's included. */
    public List<Tensor> tensors() {
        List<Tensor> all = new ArrayList<>(List.of(loss, prediction, latent));
        all.addAll(sample.tensors());
        return all;
    }

    /**
     * Frees its tensors: the caller owns what {@code MimModel.forward} returns, unless a
     * {@link org.bytedeco.javacpp.PointerScope} of the caller's frees them.
     */
    @Override
    public void close() {
        tensors().forEach(Tensor::close);
    }

    /** The binary mask {@code [batch, tokens]}, 1 = masked. */
    public Tensor mask() {
        return sample.mask();
    }

    /**
     * The prediction laid out as images {@code [batch, C, H, W]}, for a target of pixels.
     *
     * @throws dev.mim4j.dsl.Mim4jException if the prediction is not {@code p * p * C} values per patch
     */
    public Tensor reconstruction() {
        TokenGrid grid = backbone.grid();
        return Patches.unpatchify(prediction, grid.patchSize(), backbone.image().channels(), grid.rows(),
                grid.columns());
    }
}
