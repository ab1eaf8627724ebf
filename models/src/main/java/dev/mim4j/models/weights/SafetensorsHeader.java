package dev.mim4j.models.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON header of a safetensors file: parsed and validated on reading, encoded on writing. */
record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata) {

    static final String METADATA_KEY = "__metadata__";

    /** Orders tensors as they lie in the data section; name breaks ties between empty tensors. */
    static final Comparator<TensorInfo> FILE_ORDER = Comparator.comparingLong(TensorInfo::begin)
            .thenComparingLong(TensorInfo::end)
            .thenComparing(TensorInfo::name);

    /**
     * Orders names by Unicode code point, as Python's {@code sorted} does; {@code String.compareTo}
     * compares UTF-16 units and would put supplementary characters before U+E000..U+FFFF.
     */
    static final Comparator<String> CODE_POINT_ORDER =
            (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

    // Duplicate names would silently shadow one tensor, and text after the object would be ignored.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Parses and validates the header {@code bytes} of {@code file}, whose data section holds
     * {@code dataSize} bytes; the tensors come back in file order.
     */
    static SafetensorsHeader parse(Path file, byte[] bytes, long dataSize) throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(decodeUtf8(file, bytes));
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " (at character " + e.getLocation().getCharOffset() + ")";
            throw new SafetensorsFormatException(file, "header is not valid JSON: " + e.getOriginalMessage() + at, e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file, "header must be a JSON object, got " + describe(root));
        }
        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                parseMetadata(file, field.getValue(), metadata);
            } else {
                tensors.add(parseEntry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        tensors.sort(FILE_ORDER);
        checkNoOverlap(file, tensors);
        return new SafetensorsHeader(tensors, metadata);
    }

    /**
     * Encodes tensors (already in data-section order, with their offsets) and metadata exactly as
     * the Python reference writer does: compact {@code json.dumps} with ASCII escapes, metadata
     * last and only if present, padded with spaces to a multiple of 8 bytes so that the data
     * section stays 8-byte aligned.
     */
    static byte[] encode(List<TensorInfo> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        for (TensorInfo tensor : tensors) {
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, tensor.name());
            json.append(":{\"dtype\":");
            appendString(json, tensor.dtype().code());
            json.append(",\"shape\":[");
            long[] shape = tensor.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(tensor.begin()).append(',').append(tensor.end()).append("]}");
        }
        if (!metadata.isEmpty()) {
            json.append(json.length() > 1 ? "," : "");
            appendString(json, METADATA_KEY);
            json.append(":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                json.append(first ? "" : ",");
                appendString(json, entry.getKey());
                json.append(':');
                appendString(json, entry.getValue());
                first = false;
            }
            json.append('}');
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        // Every character is ASCII by now, so the byte count equals the padded length.
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Appends {@code value} as a JSON string the way Python's {@code json.dumps} does by default:
     * printable ASCII as is, the usual short escapes, everything else as lowercase {@code \}{@code
     * uXXXX} per UTF-16 unit.
     */
    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        json.append(c);
                    } else {
                        json.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        json.append('"');
    }

    /** Decodes strictly, because a lenient decoder would turn bad bytes into U+FFFD in tensor names. */
    private static String decodeUtf8(Path file, byte[] bytes) throws SafetensorsFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never needs more UTF-16 units than bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new SafetensorsFormatException(file, "header is not valid UTF-8: malformed byte 0x"
                    + Integer.toHexString(bytes[in.position()] & 0xff) + " at header offset " + in.position());
        }
        return out.flip().toString();
    }

    private static void parseMetadata(Path file, JsonNode node, Map<String, String> metadata)
            throws SafetensorsFormatException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, "'" + METADATA_KEY + "' must be an object of strings, got "
                    + describe(node));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, "'" + METADATA_KEY + "' value of '" + entry.getKey()
                        + "' must be a string, got " + describe(entry.getValue()));
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode node, long dataSize)
            throws SafetensorsFormatException {
        String where = "header entry '" + name + "'";
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, where + " must be an object with dtype, shape and "
                    + "data_offsets, got " + describe(node));
        }
        JsonNode dtypeNode = required(file, where, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(file, where + ": field 'dtype' must be a string, got "
                    + describe(dtypeNode));
        }
        DType dtype;
        try {
            dtype = DType.fromCode(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, where + ": field 'dtype': " + e.getMessage(), e);
        }

        long[] shape = integers(file, where, node, "shape");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new SafetensorsFormatException(file, where + ": field 'shape' " + Arrays.toString(shape)
                        + " has negative dimension " + shape[i] + " at index " + i);
            }
        }
        long expected;
        try {
            expected = TensorInfo.byteLength(dtype, shape);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, where + ": field 'shape': " + e.getMessage(), e);
        }

        long[] offsets = integers(file, where, node, "data_offsets");
        if (offsets.length != 2) {
            throw new SafetensorsFormatException(file, where + ": field 'data_offsets' must be [begin, end], got "
                    + Arrays.toString(offsets));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw new SafetensorsFormatException(file, where + ": field 'data_offsets' " + Arrays.toString(offsets)
                    + " is not [begin, end] with 0 <= begin <= end");
        }
        if (end > dataSize) {
            throw new SafetensorsFormatException(file, where + ": field 'data_offsets' " + Arrays.toString(offsets)
                    + " ends beyond the data section, which holds " + dataSize + " bytes");
        }
        if (end - begin != expected) {
            throw new SafetensorsFormatException(file, where + ": field 'data_offsets' " + Arrays.toString(offsets)
                    + " spans " + (end - begin) + " bytes, but dtype " + dtype.code() + " with shape "
                    + Arrays.toString(shape) + " needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static JsonNode required(Path file, String where, JsonNode entry, String field)
            throws SafetensorsFormatException {
        JsonNode value = entry.get(field);
        if (value == null) {
            throw new SafetensorsFormatException(file, where + " lacks field '" + field + "'");
        }
        return value;
    }

    /** The array of integers in {@code field}; JSON numbers with a fraction or beyond a long are refused. */
    private static long[] integers(Path file, String where, JsonNode entry, String field)
            throws SafetensorsFormatException {
        JsonNode array = required(file, where, entry, field);
        if (!array.isArray()) {
            throw new SafetensorsFormatException(file, where + ": field '" + field
                    + "' must be an array of integers, got " + describe(array));
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = array.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong()) {
                throw new SafetensorsFormatException(file, where + ": field '" + field
                        + "' must be an array of integers, got " + describe(array));
            }
            values[i] = element.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, List<TensorInfo> sorted) throws SafetensorsFormatException {
        TensorInfo previous = null;
        for (TensorInfo tensor : sorted) {
            // An empty tensor shares no byte with anything, wherever its offsets point.
            if (tensor.byteLength() == 0) {
                continue;
            }
            if (previous != null && tensor.begin() < previous.end()) {
                throw new SafetensorsFormatException(file, "tensors '" + previous.name() + "' (data_offsets ["
                        + previous.begin() + ", " + previous.end() + "]) and '" + tensor.name()
                        + "' (data_offsets [" + tensor.begin() + ", " + tensor.end() + "]) overlap");
            }
            previous = tensor;
        }
    }

    /** A short rendering of a JSON value for error messages, cut so a huge value cannot flood them. */
    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
