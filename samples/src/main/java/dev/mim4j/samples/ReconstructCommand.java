package dev.mim4j.samples;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.ModelPicture;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.Transforms;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Draws a reconstruction picture from a pre-training checkpoint and images. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Writes a PNG of reconstructions by a pre-trained model: original | masked | reconstruction |"
                + " reconstruction with the visible patches pasted back, one row per image; for a target that"
                + " draws itself (MaskFeat's HOG), original | masked | the target drawn | the prediction drawn.")
final class ReconstructCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "A pre-training checkpoint, or a run folder (its newest).")
    Path checkpoint;

    @Mixin
    DataOptions data;

    @Option(names = "--count", defaultValue = "8", description = "Images drawn (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--first", defaultValue = "0", description = "Index of the first image (default: ${DEFAULT-VALUE}).")
    int first;

    @Option(names = "--mask-seed", defaultValue = "0", description = "Seed of the masks (default: ${DEFAULT-VALUE}).")
    long maskSeed;

    @Option(names = "--output", defaultValue = "reconstruction.png", description = "The PNG to write: a new path,"
            + " or an existing file with --force (default: ${DEFAULT-VALUE}).")
    Path output;

    @Mixin
    OutputFileOptions outputFile;

    @Override
    public Integer call() throws Exception {
        Natives.threads(1);
        outputFile.check(output, checkpoint, data.labels, data.path());
        MimModel model = Checkpoints.loadModel(checkpoint);
        Backbone backbone = model.backbone();
        ImageDataset dataset = data.dataset();
        Normalize normalization = Checkpoints.readNormalization(checkpoint);
        ImageTransform view = Transforms.eval(backbone.image().height(), normalization);
        if (count < 1 || first < 0 || first + count > dataset.size()) {
            throw new IllegalArgumentException("--first " + first + " --count " + count + " do not fit the "
                    + dataset.size() + " images of " + dataset.describe());
        }
        int plane = backbone.image().channels() * backbone.image().height() * backbone.image().width();
        float[] pixels = new float[count * plane];
        for (int i = 0; i < count; i++) {
            FloatImage image = view.apply(dataset.read(first + i), new SplittableRandom(i));
            if (image.pixels().length != plane) {
                throw new IllegalArgumentException("images come out as " + image.channels() + "x" + image.height() + "x"
                        + image.width() + " but the checkpoint's model takes " + backbone.image().channels() + "x"
                        + backbone.image().height() + "x" + backbone.image().width());
            }
            System.arraycopy(image.pixels(), 0, pixels, i * plane, plane);
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor images = Tensors.floats(pixels, count, backbone.image().channels(), backbone.image().height(),
                    backbone.image().width());
            MaskSample sample = MaskSample.draw(model.masking(), backbone.grid(), count,
                    new SplittableRandom(maskSeed));
            int scale = Math.max(1, 96 / backbone.image().height());
            ModelPicture picture = ModelPicture.of(model, images, sample)
                    .orElseThrow(() -> new IllegalArgumentException("the checkpoint's target ("
                            + model.recipe().map(recipe -> recipe.target().describe()).orElse("?")
                            + ") has no way back to pixels and draws nothing, so there is nothing to picture"));
            picture.write(normalization.mean(), normalization.std(), scale, output);
        }
        System.out.println("wrote " + output.toAbsolutePath());
        return 0;
    }
}
