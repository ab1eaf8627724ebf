package dev.mim4j.models.mim;

import java.util.Optional;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.recipe.PixelTarget;
import dev.mim4j.models.Patches;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * The compiled {@link PixelTarget}: each patch's pixels in MAE's layout, or MAE's per-patch
 * normalisation of them (mean, unbiased variance, eps 1e-6).
 */
public record PixelTargetFunction(int patchSize, boolean normalized) implements TargetFunction {

    /** The compiler of {@link PixelTarget}. */
    public static PixelTargetFunction compile(PixelTarget target, Backbone backbone) {
        return new PixelTargetFunction(backbone.grid().patchSize(), target.perPatchNormalized());
    }

    @Override
    public Tensor of(Tensor images) {
        Tensor patches = Patches.patchify(images, patchSize);
        return normalized ? patches.sub(mean(patches)).div(std(patches)) : patches;
    }

    /** A normalised prediction is mapped back with the statistics of each target patch, as MAE's own visualisation does. */
    @Override
    public Optional<Tensor> toPixels(Tensor prediction, Tensor images) {
        if (!normalized) {
            return Optional.of(prediction);
        }
        Tensor patches = Patches.patchify(images, patchSize);
        return Optional.of(prediction.mul(std(patches)).add(mean(patches)));
    }

    private static Tensor mean(Tensor patches) {
        return patches.mean(new long[] {-1}, true, new ScalarTypeOptional());
    }

    private static Tensor std(Tensor patches) {
        return patches.var(new long[] {-1}, true, true).add(new Scalar(PixelTarget.NORM_EPS)).sqrt();
    }
}
