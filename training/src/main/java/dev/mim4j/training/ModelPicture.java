package dev.mim4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import dev.mim4j.models.MaskSample;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.mim.MimOutput;
import org.bytedeco.pytorch.Tensor;

/**
 * A picture of what a model does with masked images, as its target allows: {@link Reconstructions} for a target
 * with a way back to pixels, {@link TargetDrawings} for one that draws itself.
 */
public sealed interface ModelPicture permits Reconstructions, TargetDrawings {

    /**
     * The picture of {@code model} on {@code images} under {@code sample}, from one pass without gradients (in
     * evaluation mode, restored afterwards): reconstructions where the target maps back to pixels, else its
     * drawings; empty for a target that does neither.
     */
    static Optional<ModelPicture> of(MimModel model, Tensor images, MaskSample sample) {
        return Reconstructions.evaluated(model, () -> {
            MimOutput out = model.forward(images, sample);
            Optional<ModelPicture> pixels = Reconstructions.from(model, images, out).map(ModelPicture.class::cast);
            return pixels.isPresent() ? pixels : TargetDrawings.from(model, images, out).map(ModelPicture.class::cast);
        });
    }

    /**
     * Writes it as a PNG, one row per image (through a temporary file and a rename), its input-space panels mapped
     * back to [0, 1] with the normalisation's per-channel {@code mean} and {@code std}.
     *
     * @param scale each image pixel drawn as a {@code scale x scale} square
     */
    void write(float[] mean, float[] std, int scale, Path path) throws IOException;
}
