package dev.mim4j.models.weights;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The checksums mim4j writes into a safetensors file's metadata, under {@value #KEY}, and checks on
 * reading: a CRC32C of every tensor's bytes, and one of the rest of the header (every tensor's name, type,
 * shape and offsets, and every other metadata entry), as
 * {@code {"crc32c":{"header":"1a2b3c4d","tensors":{"name":"5e6f7a8b",...}}}}. Each checksum is 8 hex
 * digits, so the entry's length does not depend on the values: the writer writes zeros first and the
 * checksums over them once the tensors are written. Other readers (Python's safetensors) see one more
 * metadata entry and read the file as before.
 */
final class SafetensorsChecksums {

    /** The metadata entry that holds the checksums; reserved: a writer writes its own or none. */
    static final String KEY = "mim4j.checksums";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALGORITHM = "crc32c";

    private final int header;
    private final Map<String, Integer> tensors;

    private SafetensorsChecksums(int header, Map<String, Integer> tensors) {
        this.header = header;
        this.tensors = tensors;
    }

    /** The checksum of the header of {@code tensors} (in file order) and {@code metadata}, leaving out {@value #KEY}. */
    static int headerChecksum(List<TensorInfo> tensors, Map<String, String> metadata) {
        Map<String, String> others = new LinkedHashMap<>(metadata);
        others.remove(KEY);
        CRC32C crc = new CRC32C();
        crc.update(SafetensorsHeader.encode(tensors, others));
        return (int) crc.getValue();
    }

    /** The value of {@value #KEY} for a header checksum and each tensor's, in the order given. */
    static String entry(int header, Map<String, Integer> tensors) {
        ObjectNode checksums = JSON.createObjectNode();
        ObjectNode crc = checksums.putObject(ALGORITHM);
        crc.put("header", hex(header));
        ObjectNode byName = crc.putObject("tensors");
        tensors.forEach((name, value) -> byName.put(name, hex(value)));
        return checksums.toString();
    }

    /** The checksum of {@code bytes} from its position to its limit, which it leaves as they were. */
    static int of(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }

    /**
     * The checksums {@code file}'s header holds, checked against the header itself; none (null) when it holds
     * no {@value #KEY} entry, as files written elsewhere do.
     *
     * @throws SafetensorsFormatException when the entry cannot be read, does not name every tensor, or the
     *     header does not match it
     */
    static SafetensorsChecksums read(Path file, SafetensorsHeader parsed) throws SafetensorsFormatException {
        String value = parsed.metadata().get(KEY);
        if (value == null) {
            return null;
        }
        SafetensorsChecksums checksums = parse(file, value);
        if (checksums.header != headerChecksum(parsed.tensors(), parsed.metadata())) {
            throw damaged(file, "its header (the tensors' names, types, shapes and offsets, and its metadata) does not"
                    + " match the checksum written with it");
        }
        for (TensorInfo tensor : parsed.tensors()) {
            if (!checksums.tensors.containsKey(tensor.name())) {
                throw damaged(file, "tensor '" + tensor.name() + "' has no checksum in '" + KEY + "'");
            }
        }
        if (checksums.tensors.size() != parsed.tensors().size()) {
            throw damaged(file, "'" + KEY + "' holds checksums of " + checksums.tensors.size() + " tensors, but the"
                    + " header names " + parsed.tensors().size());
        }
        return checksums;
    }

    /**
     * Checks the bytes of tensor {@code name}.
     *
     * @throws SafetensorsFormatException naming the file and the tensor when they do not match
     */
    void check(Path file, String name, ByteBuffer bytes) throws SafetensorsFormatException {
        int expected = tensors.get(name);
        int actual = of(bytes);
        if (actual != expected) {
            throw damaged(file, "tensor '" + name + "' does not match the checksum written with it (CRC32C "
                    + hex(actual) + ", written " + hex(expected) + ")");
        }
    }

    private static SafetensorsChecksums parse(Path file, String value) throws SafetensorsFormatException {
        JsonNode crc;
        try {
            crc = JSON.readTree(value).path(ALGORITHM);
        } catch (JsonProcessingException e) {
            throw damaged(file, "its '" + KEY + "' metadata is not JSON");
        }
        JsonNode byName = crc.path("tensors");
        if (!crc.isObject() || !byName.isObject()) {
            throw damaged(file, "its '" + KEY + "' metadata holds no " + ALGORITHM + " checksums");
        }
        int header = checksum(file, "the header", crc.path("header"));
        Map<String, Integer> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : byName.properties()) {
            tensors.put(field.getKey(), checksum(file, "tensor '" + field.getKey() + "'", field.getValue()));
        }
        return new SafetensorsChecksums(header, tensors);
    }

    private static int checksum(Path file, String of, JsonNode node) throws SafetensorsFormatException {
        String text = node.isTextual() ? node.asText() : "";
        if (!text.matches("[0-9a-f]{8}")) {
            throw damaged(file, "the checksum of " + of + " in '" + KEY + "' is not 8 hex digits");
        }
        return Integer.parseUnsignedInt(text, 16);
    }

    private static SafetensorsFormatException damaged(Path file, String detail) {
        return new SafetensorsFormatException(file, detail + ": the file is damaged (changed after it was written, or"
                + " a disk error; a tool that rewrote it keeping its '" + KEY + "' entry leaves it so too)");
    }

    private static String hex(int value) {
        return String.format("%08x", value);
    }
}
