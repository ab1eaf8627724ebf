package dev.mim4j.samples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.eval.Features;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes the frozen features of a dataset to safetensors; its two option groups, {@link FeatureSource} and
 * {@link TrainTestSplits}, also choose the features and the data of the {@code knn} and {@code linprobe} commands.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Writes the features of a dataset to a safetensors file ('features' F32 [images, width],"
                + " 'labels' I64 [images]; the pooling, block, source and data in the metadata), from a"
                + " pre-training checkpoint's encoder, a randomly initialised one, or the raw pixels. Prints one"
                + " JSON line.")
final class FeaturesCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    FeatureSource source;

    @Mixin
    DataOptions data;

    @Option(names = "--output", required = true, description = "The safetensors file to write (a new path, or"
            + " an existing file with --force).")
    Path output;

    @Mixin
    OutputFileOptions outputFile;

    @Option(names = "--batch", defaultValue = "64", description = "Images per encoder pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        outputFile.check(output, source.checkpoint, source.like, data.labels, data.path(), source.model.spec);
        ImageDataset dataset = data.dataset();
        ImageSize size = data.outputSize(dataset);
        source.prepare(size);
        Normalize normalize = source.normalization(dataset, data.format);
        try (Features features = source.extract(dataset, normalize, size, batch)) {
            ObjectNode line = JSON.createObjectNode().put("command", "features")
                    .put("output", output.toAbsolutePath().toString()).put("images", features.count())
                    .put("data", dataset.describe());
            source.describe(line, features);
            features.save(output, provenance(line));
            line.put("seconds", seconds(started));
            System.out.println(line);
        }
        return 0;
    }

    /** Where the features come from, for the file's metadata: the result line's data, features and block. */
    private static Map<String, String> provenance(ObjectNode line) {
        Map<String, String> provenance = new LinkedHashMap<>();
        for (String field : List.of("data", "features", "block")) {
            if (line.has(field)) {
                provenance.put(field, line.get(field).asText());
            }
        }
        return provenance;
    }

    /** Seconds since {@code started} (a {@link System#nanoTime()}), to the hundredth. */
    static double seconds(long started) {
        return Math.round((System.nanoTime() - started) / 1e7) / 100.0;
    }
}
