package dev.mim4j.models.mim;

import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.Target;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The pixel target and the loss of a recipe, both in patch space {@code [batch, tokens, p * p * C]}:
 * the error per element (squared or absolute) is averaged per patch, then over the masked patches
 * (MAE's and SimMIM's) or over all patches.
 *
 * <p>SimMIM divides its summed L1 error by the masked pixel count plus {@code 1e-5} and by the
 * channels; per patch that is the same mean except for the {@code 1e-5}, a relative difference
 * below {@code 1e-8} for any real mask, which is not reproduced.
 */
final class ReconstructionLoss {

    private ReconstructionLoss() {
    }

    /** The patches themselves, or MAE's per-patch normalisation (mean, unbiased variance, eps 1e-6). */
    static Tensor target(Tensor patches, Target target) {
        if (!target.perPatchNormalized()) {
            return patches;
        }
        Tensor mean = patches.mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor variance = patches.var(new long[] {-1}, true, true);
        return patches.sub(mean).div(variance.add(new Scalar(Target.NORM_EPS)).sqrt());
    }

    /**
     * @param mask {@code [batch, tokens]}, 1 = masked
     */
    static Tensor loss(Tensor prediction, Tensor target, Tensor mask, Loss loss) {
        Tensor difference = prediction.sub(target);
        Tensor error = switch (loss.kind()) {
            case MSE -> difference.square();
            case L1 -> difference.abs();
        };
        Tensor perPatch = error.mean(new long[] {-1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        if (!loss.maskedPatchesOnly()) {
            return perPatch.mean();
        }
        return perPatch.mul(mask).sum().div(mask.sum());
    }
}
