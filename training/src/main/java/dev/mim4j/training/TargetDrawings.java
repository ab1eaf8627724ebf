package dev.mim4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.mim.MimOutput;
import dev.mim4j.models.mim.TargetFunction;
import org.bytedeco.pytorch.Tensor;

/**
 * The four panels of the picture of a target that has no way back to pixels but draws itself
 * ({@link TargetFunction#draw}): the images and the images with the masked patches blanked, in the model's input
 * space, then the target's drawing of the target and of the model's prediction, grey in [0, 1].
 */
public record TargetDrawings(int count, int channels, int height, int width, float[] original, float[] masked,
        float[] target, float[] prediction) implements ModelPicture {

    /**
     * Runs the model once without gradients (in evaluation mode, restored afterwards); empty when its target
     * draws nothing.
     */
    public static Optional<TargetDrawings> of(MimModel model, Tensor images, MaskSample sample) {
        return Reconstructions.evaluated(model, () -> from(model, images, model.forward(images, sample)));
    }

    /** The drawings of {@code out}, a pass of {@code model} over {@code images}; empty as for {@link #of}. */
    static Optional<TargetDrawings> from(MimModel model, Tensor images, MimOutput out) {
        TargetFunction target = model.objective().target();
        Optional<Tensor> truth = target.draw(target.of(images), images);
        Optional<Tensor> predicted = target.draw(out.prediction(), images);
        if (truth.isEmpty() || predicted.isEmpty()) {
            return Optional.empty();
        }
        Backbone backbone = model.backbone();
        long[] expected = {images.size(0), 1, backbone.image().height(), backbone.image().width()};
        for (Tensor drawing : new Tensor[] {truth.get(), predicted.get()}) {
            if (!Arrays.equals(Tensors.shape(drawing), expected)) {
                throw new Mim4jException("target drawing", "the target ("
                        + model.recipe().map(recipe -> recipe.target().describe()).orElse("of an assembled model")
                        + ") drew " + Arrays.toString(Tensors.shape(drawing)) + ", not grey images "
                        + Arrays.toString(expected));
            }
        }
        return Optional.of(new TargetDrawings((int) images.size(0), backbone.image().channels(),
                backbone.image().height(), backbone.image().width(), Tensors.toFloats(images),
                Reconstructions.maskedImages(images, out, backbone), Tensors.toFloats(truth.get()),
                Tensors.toFloats(predicted.get())));
    }

    @Override
    public void write(float[] mean, float[] std, int scale, Path path) throws IOException {
        ReconstructionPicture.write(this, mean, std, scale, path);
    }
}
