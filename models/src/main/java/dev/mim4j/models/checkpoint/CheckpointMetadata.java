package dev.mim4j.models.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.models.MachineMemory;
import dev.mim4j.models.compile.Parts;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.models.weights.TensorInfo;

/**
 * The metadata of one checkpoint file, read with sentences: an entry that is missing or does not hold
 * what it should is an {@link IOException} that names the file, the entry and what was expected, never
 * a {@code NullPointerException} from deep inside a parser.
 */
public final class CheckpointMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, String> entries;
    private final long modelValues;

    private CheckpointMetadata(Path file, Map<String, String> entries, long modelValues) {
        this.file = file;
        this.entries = entries;
        this.modelValues = modelValues;
    }

    /** The metadata of a checkpoint file, or of the newest checkpoint in a folder. */
    public static CheckpointMetadata read(Path fileOrDirectory) throws IOException {
        Path file = CheckpointFiles.resolve(fileOrDirectory);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            long modelValues = st.tensors().stream().filter(t -> t.name().startsWith(CheckpointFormat.MODEL))
                    .mapToLong(TensorInfo::elementCount).sum();
            return new CheckpointMetadata(file, st.metadata(), modelValues);
        }
    }

    /** The checkpoint file read. */
    public Path file() {
        return file;
    }

    /** Every entry, as written. */
    public Map<String, String> entries() {
        return entries;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The text of entry {@code key}, which must be there. */
    public String text(String key) throws IOException {
        String value = entries.get(key);
        if (value == null) {
            throw new IOException(file + ": has no '" + key + "' in its metadata; it was not written by this kind of"
                    + " mim4j run");
        }
        return value;
    }

    /** Entry {@code key} as a spec of {@code type} (a recipe, a config) in spec JSON. */
    public <T> T spec(String key, Class<T> type) throws IOException {
        String json = text(key);
        Parts.discover(); // a recipe of parts of one's own reads back once their providers are found
        try {
            return SpecJson.fromJson(json, type);
        } catch (SpecException e) {
            throw new IOException(file + ": its '" + key + "' metadata is not a readable " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses the spec in entry {@code key} before its model is built when the model would have more parameters
     * ({@code parameterFloor}, the fewest it can have: {@link dev.mim4j.dsl.ParameterFloor}) than the file holds
     * values under {@value CheckpointFormat#MODEL}, which a strict load would need, or more than this machine's
     * memory holds: a spec changed after the file was written, whose model could exhaust the memory before any
     * tensor is compared.
     *
     * @throws IOException naming the file, the entry and the numbers
     */
    public void checkModelFits(String key, long parameterFloor) throws IOException {
        if (parameterFloor > modelValues) {
            throw new IOException(String.format(Locale.ROOT, "%s: its '%s' metadata describes a model of at least %,d"
                    + " parameters, but the file holds %,d values under '%s': the metadata does not belong with these"
                    + " tensors (changed after the file was written?)", file, key, parameterFloor, modelValues,
                    CheckpointFormat.MODEL));
        }
        try {
            MachineMemory.checkWeightsFit(parameterFloor, "the model its '" + key + "' metadata describes");
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Entry {@code key} as a JSON object. */
    public JsonNode object(String key) throws IOException {
        String json = text(key);
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": its '" + key + "' metadata is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IOException(file + ": its '" + key + "' metadata is not a JSON object");
        }
        return node;
    }

    /** Field {@code field} of entry {@code key}'s object: a whole number from 0 that fits a long. */
    public long count(JsonNode object, String key, String field) throws IOException {
        JsonNode value = object.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new IOException(file + ": field '" + field + "' of its '" + key + "' metadata is "
                    + (value == null ? "missing" : "'" + value + "'") + "; expected a whole number from 0");
        }
        return value.asLong();
    }

    /** As {@link #count}, for a count that must fit an int. */
    public int smallCount(JsonNode object, String key, String field) throws IOException {
        long value = count(object, key, field);
        if (value > Integer.MAX_VALUE) {
            throw new IOException(file + ": field '" + field + "' of its '" + key + "' metadata is " + value
                    + ", more than " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** Field {@code field} of entry {@code key}'s object: a finite number. */
    public double finite(JsonNode object, String key, String field) throws IOException {
        JsonNode value = object.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw new IOException(file + ": field '" + field + "' of its '" + key + "' metadata is "
                    + (value == null ? "missing" : "'" + value + "'") + "; expected a finite number");
        }
        return value.asDouble();
    }

    /** Field {@code field} of entry {@code key}'s object as finite floats. */
    public float[] floats(JsonNode object, String key, String field) throws IOException {
        JsonNode array = object.get(field);
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new IOException(file + ": field '" + field + "' of its '" + key + "' metadata is "
                    + (array == null ? "missing" : "'" + array + "'") + "; expected a list of numbers");
        }
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber() || !Float.isFinite((float) value.asDouble())) {
                throw new IOException(file + ": field '" + field + "' of its '" + key + "' metadata holds '" + value
                        + "'; expected finite numbers");
            }
            values[i] = (float) value.asDouble();
        }
        return values;
    }

    /**
     * {@code parse} of entry {@code key}'s value, whose {@link IllegalArgumentException} (a value out of
     * range for the type built from it) becomes a sentence naming the file and the entry.
     */
    public <T> T checked(String key, Parse<T> parse) throws IOException {
        try {
            return parse.apply(this);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": its '" + key + "' metadata does not fit: " + e.getMessage(), e);
        }
    }

    /** A parse of metadata that may throw a sentence of its own. */
    @FunctionalInterface
    public interface Parse<T> {
        T apply(CheckpointMetadata metadata) throws IOException;
    }
}
