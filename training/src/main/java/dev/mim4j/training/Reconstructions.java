package dev.mim4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Patches;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.mim.MimOutput;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The four panels of a reconstruction picture, in the model's input space: the images, the images
 * with the masked patches blanked, the model's reconstruction, and the reconstruction with the visible
 * patches pasted back. A prediction of per-patch normalised targets is mapped back to pixels with the
 * statistics of each target patch, as MAE's own visualisation does.
 */
public record Reconstructions(int count, int channels, int height, int width, float[] original, float[] masked,
        float[] reconstruction, float[] pasted) implements ModelPicture {

    /**
     * Runs the model once without gradients (in evaluation mode, restored afterwards); empty when its target has
     * no way back to pixels ({@link dev.mim4j.models.mim.TargetFunction#toPixels}).
     */
    public static Optional<Reconstructions> of(MimModel model, Tensor images, MaskSample sample) {
        return evaluated(model, () -> from(model, images, model.forward(images, sample)));
    }

    /** The reconstructions in {@code out}, a pass of {@code model} over {@code images}; empty as for {@link #of}. */
    static Optional<Reconstructions> from(MimModel model, Tensor images, MimOutput out) {
        Optional<Tensor> pixels = model.objective().target().toPixels(out.prediction(), images);
        if (pixels.isEmpty()) {
            return Optional.empty();
        }
        Backbone backbone = model.backbone();
        TokenGrid grid = backbone.grid();
        int p = grid.patchSize();
        Tensor prediction = pixels.get();
        Tensor mask = out.mask().unsqueeze(-1);
        Tensor target = Patches.patchify(images, p);
        Tensor pastedPatches = target.mul(visible(out)).add(prediction.mul(mask));
        int channels = backbone.image().channels();
        return Optional.of(new Reconstructions((int) images.size(0), channels, backbone.image().height(),
                backbone.image().width(), Tensors.toFloats(images), maskedImages(images, out, backbone),
                Tensors.toFloats(Patches.unpatchify(prediction, p, channels, grid.rows(), grid.columns())),
                Tensors.toFloats(Patches.unpatchify(pastedPatches, p, channels, grid.rows(), grid.columns()))));
    }

    @Override
    public void write(float[] mean, float[] std, int scale, Path path) throws IOException {
        ReconstructionPicture.write(this, mean, std, scale, path);
    }

    /** {@code picture} made in evaluation mode without gradients, in a scope of its own; the mode restored after. */
    static <T> T evaluated(MimModel model, Supplier<T> picture) {
        boolean training = model.is_training();
        model.train(false);
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            return picture.get();
        } finally {
            model.train(training);
        }
    }

    /** The images with their masked patches blanked, in the model's input space. */
    static float[] maskedImages(Tensor images, MimOutput out, Backbone backbone) {
        TokenGrid grid = backbone.grid();
        int p = grid.patchSize();
        Tensor masked = Patches.patchify(images, p).mul(visible(out));
        return Tensors.toFloats(Patches.unpatchify(masked, p, backbone.image().channels(), grid.rows(),
                grid.columns()));
    }

    private static Tensor visible(MimOutput out) {
        return out.mask().unsqueeze(-1).neg().add(new Scalar(1.0));
    }
}
