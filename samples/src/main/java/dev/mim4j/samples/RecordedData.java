package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.training.Checkpoints;
import picocli.CommandLine.ParseResult;

/**
 * The data flags of a pre-training run, recorded in its checkpoints under {@value #KEY}, so that
 * {@code pretrain --resume DIR} reads the same images without them: the data and labels (absolute paths, or
 * {@code demo}), the format, decode limits and bad-image settings. The channels, the normalisation and the
 * image size come from the checkpoint's model and entries.
 */
final class RecordedData {

    /** The checkpoint metadata entry. */
    static final String KEY = "mim4j-tool.data";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedData() {
    }

    /** The entry for {@code data}, as the command line gave it. */
    static String of(DataOptions data) {
        ObjectNode flags = JSON.createObjectNode();
        Path path = data.path();
        flags.put("--data", path == null ? DataOptions.DEMO : path.toAbsolutePath().normalize().toString());
        if (data.labels != null) {
            flags.put("--labels", data.labels.toAbsolutePath().normalize().toString());
        }
        DataFormatOptions format = data.format;
        flags.put("--format", format.format);
        flags.put("--max-image-pixels", format.maxImagePixels);
        flags.put("--max-image-bytes", format.maxImageBytes);
        flags.put("--bad-images", format.badImages);
        flags.put("--max-bad-images", format.maxBadImages);
        return flags.toString();
    }

    /**
     * Sets {@code data}'s flags that the command line left out to those the run in {@code checkpoint} recorded;
     * with --data given, only how the images are read (limits, bad images), not what they are (data, labels,
     * format), which the command line then says. A folder is read with {@code modelChannels}, the channels of
     * the checkpoint's model, unless --channels. Nothing else for a checkpoint written before they were recorded.
     *
     * @throws IllegalArgumentException naming the checkpoint and the path when the recorded data is not there now
     */
    static void applyTo(DataOptions data, Path checkpoint, int modelChannels, ParseResult given) throws IOException {
        if (!given.hasMatchedOption("--channels")) {
            // a folder is read with the channels of the model that goes on, whatever the data
            data.format.channels = modelChannels;
        }
        String entry = Checkpoints.metadata(checkpoint).get(KEY);
        if (entry == null) {
            return;
        }
        boolean dataGiven = given.hasMatchedOption("--data");
        JsonNode flags;
        try {
            flags = JSON.readTree(entry);
        } catch (JsonProcessingException e) {
            throw new IOException(checkpoint + ": its '" + KEY + "' metadata is not JSON", e);
        }
        DataFormatOptions format = data.format;
        for (Map.Entry<String, JsonNode> flag : flags.properties()) {
            boolean whatTheDataIs = Set.of("--data", "--labels", "--format").contains(flag.getKey());
            if (given.hasMatchedOption(flag.getKey()) || dataGiven && whatTheDataIs) {
                continue;
            }
            JsonNode value = flag.getValue();
            switch (flag.getKey()) {
                case "--data" -> data.data = value.asText();
                case "--labels" -> data.labels = Path.of(value.asText());
                case "--format" -> format.format = value.asText();
                case "--max-image-pixels" -> format.maxImagePixels = value.asLong();
                case "--max-image-bytes" -> format.maxImageBytes = value.asLong();
                case "--bad-images" -> format.badImages = value.asText();
                case "--max-bad-images" -> format.maxBadImages = value.asText();
                default -> {
                    // a flag a later version records; this one reads the data without it
                }
            }
        }
        Path path = data.path();
        if (!dataGiven && path != null && !Files.exists(path)) {
            throw new IllegalArgumentException("the run in " + checkpoint + " was trained on " + path + ", which is not"
                    + " there now; give --data where those images are now");
        }
    }
}
