package dev.mim4j.models.mim;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.recipe.PixelLoss;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * The compiled {@link PixelLoss}: the error per element (squared or absolute) averaged per patch,
 * then over the masked patches (MAE's and SimMIM's) or over all patches.
 *
 * <p>SimMIM divides its summed L1 error by the masked pixel count plus {@code 1e-5} and by the
 * channels; per patch that is the same mean except for the {@code 1e-5}, a relative difference
 * below {@code 1e-8} for any real mask, which is not reproduced.
 */
public record PixelLossFunction(PixelLoss.Kind kind, boolean maskedOnly) implements LossFunction {

    /** The compiler of {@link PixelLoss}. */
    public static PixelLossFunction compile(PixelLoss loss, Backbone backbone) {
        return new PixelLossFunction(loss.kind(), loss.maskedPatchesOnly());
    }

    @Override
    public Tensor of(Tensor prediction, Tensor target, Tensor mask) {
        Tensor difference = prediction.sub(target);
        Tensor error = switch (kind) {
            case MSE -> difference.square();
            case L1 -> difference.abs();
        };
        Tensor perPatch = error.mean(new long[] {-1}, false, new ScalarTypeOptional());
        if (!maskedOnly) {
            return perPatch.mean();
        }
        return perPatch.mul(mask).sum().div(mask.sum());
    }
}
