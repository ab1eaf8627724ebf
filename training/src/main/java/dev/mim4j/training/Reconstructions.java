package dev.mim4j.training;

import java.util.Optional;

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
        float[] reconstruction, float[] pasted) {

    /**
     * Runs the model once without gradients (in evaluation mode, restored afterwards); empty when its target has
     * no way back to pixels ({@link dev.mim4j.models.mim.TargetFunction#toPixels}).
     */
    public static Optional<Reconstructions> of(MimModel model, Tensor images, MaskSample sample) {
        Backbone backbone = model.backbone();
        TokenGrid grid = backbone.grid();
        int p = grid.patchSize();
        boolean training = model.is_training();
        model.train(false);
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            MimOutput out = model.forward(images, sample);
            Tensor target = Patches.patchify(images, p);
            Optional<Tensor> pixels = model.objective().target().toPixels(out.prediction(), images);
            if (pixels.isEmpty()) {
                return Optional.empty();
            }
            Tensor prediction = pixels.get();
            Tensor mask = out.mask().unsqueeze(-1);
            Tensor visible = mask.neg().add(new Scalar(1.0));
            Tensor maskedPatches = target.mul(visible);
            Tensor pastedPatches = target.mul(visible).add(prediction.mul(mask));
            int channels = backbone.image().channels();
            int gh = grid.rows();
            int gw = grid.columns();
            return Optional.of(new Reconstructions((int) images.size(0), channels, backbone.image().height(),
                    backbone.image().width(), Tensors.toFloats(images),
                    Tensors.toFloats(Patches.unpatchify(maskedPatches, p, channels, gh, gw)),
                    Tensors.toFloats(Patches.unpatchify(prediction, p, channels, gh, gw)),
                    Tensors.toFloats(Patches.unpatchify(pastedPatches, p, channels, gh, gw))));
        } finally {
            model.train(training);
        }
    }
}
