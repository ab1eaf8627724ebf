package dev.mim4j.samples.examples;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.Encoder;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import dev.mim4j.models.Tensors;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.training.data.IdxDataset;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.Transforms;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Sample: load a pre-training checkpoint, take its encoder, and write the cls features of the
 * first images of an IDX file to safetensors.
 * Args: {@code <checkpoint file or run folder> <idx images file> <output .safetensors>}.
 */
public final class ExtractFeatures {

    private ExtractFeatures() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ExtractFeatures <checkpoint> <idx images> <features.safetensors>");
            System.exit(2);
        }
        MimModel model = Checkpoints.loadModel(Path.of(args[0]));
        Encoder encoder = model.encoder();
        encoder.module().train(false);
        Backbone spec = encoder.spec();
        ImageDataset images = IdxDataset.open(Path.of(args[1]), null);
        Normalize normalize = Checkpoints.readNormalization(Path.of(args[0]));
        ImageTransform view = Transforms.eval(spec.image().height(), normalize);

        int count = Math.min(256, images.size());
        int plane = spec.image().channels() * spec.image().height() * spec.image().width();
        float[] pixels = new float[count * plane];
        for (int i = 0; i < count; i++) {
            FloatImage image = view.apply(images.read(i), new SplittableRandom(i));
            System.arraycopy(image.pixels(), 0, pixels, i * plane, plane);
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor batch = Tensors.floats(pixels, count, spec.image().channels(), spec.image().height(),
                    spec.image().width());
            Tensor features = encoder.encode(batch);            // [count, 1 + tokens, width], never masked
            Tensor cls = features.select(1, 0).contiguous();    // [count, width]
            SafetensorsExport.write(Map.of("features.cls", cls), Path.of(args[2]), Map.of("checkpoint", args[0]));
            System.out.println("wrote " + count + " x " + spec.width() + " features to " + args[2]);
        }
    }
}
