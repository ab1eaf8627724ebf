package dev.mim4j.samples.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.mim4j.models.Tensors;
import dev.mim4j.models.inference.ImageEncoder;
import dev.mim4j.models.weights.SafetensorsExport;
import org.bytedeco.pytorch.Tensor;

/**
 * Sample: the features of a folder of images from a pre-training checkpoint's encoder, written to
 * safetensors ({@code features} [images, width], the file names in the metadata). Inference only: no
 * trainer, no scope, no mode switching.
 * Args: {@code <checkpoint file or run folder> <folder of images> <output .safetensors>}.
 */
public final class ExtractFeatures {

    private ExtractFeatures() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ExtractFeatures <checkpoint> <folder of images> <features.safetensors>");
            System.exit(2);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of(args[1]))) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        }
        try (ImageEncoder encoder = ImageEncoder.load(Path.of(args[0]))) {
            float[][] rows = encoder.featuresOfFiles(files);            // resized, normalised, batched, pooled
            float[] flat = new float[rows.length * encoder.width()];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, flat, i * encoder.width(), encoder.width());
            }
            try (Tensor features = Tensors.floats(flat, rows.length, encoder.width())) {
                SafetensorsExport.write(Map.of("features", features), Path.of(args[2]), Map.of("checkpoint", args[0],
                        "pooling", encoder.pooling().label(), "files", String.join("\n", files.stream()
                                .map(f -> f.getFileName().toString()).toList())));
            }
            System.out.println("wrote " + rows.length + " x " + encoder.width() + " features to " + args[2]);
        }
    }
}
