package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Feeds {@link SafetensorsFile} crafted corrupt files and checks that each is refused with a precise message. */
class SafetensorsFileValidationTest {

    private static final String F32_2X3 = "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}";

    @TempDir
    Path dir;

    /** A file with header {@code json} (unpadded) followed by {@code data}. */
    static byte[] file(String json, byte[] data) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return fileWithLength(header.length, header, data);
    }

    private static byte[] fileWithLength(long declaredLength, byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(declaredLength).put(header).put(data).array();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] content) throws IOException {
        Path path = dir.resolve("corrupt.safetensors");
        Files.write(path, content);
        return assertThatThrownBy(() -> SafetensorsFile.open(path).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(path + ": ")
                .satisfies(e -> assertThat(((SafetensorsFormatException) e).file()).isEqualTo(path));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String json, int dataBytes)
            throws IOException {
        return assertRejected(file(json, new byte[dataBytes]));
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        assertRejected(new byte[0]).hasMessageEndingWith(": file is 0 bytes long, too short for the 8-byte header length");
        assertRejected(new byte[5]).hasMessageContaining("file is 5 bytes long");
    }

    @Test
    void headerLengthBeyondTheCap() throws IOException {
        assertRejected(fileWithLength(-1, new byte[0], new byte[0]))
                .hasMessageEndingWith(": header length 18446744073709551615 exceeds the limit of 104857600 bytes");
        assertRejected(fileWithLength(100L * 1024 * 1024 + 1, new byte[0], new byte[0]))
                .hasMessageContaining("header length 104857601 exceeds the limit of 104857600 bytes");
    }

    @Test
    void headerLengthBeyondACustomCap() throws IOException {
        Path path = dir.resolve("capped.safetensors");
        Files.write(path, file("{\"x\":" + F32_2X3 + "}", new byte[24]));
        assertThatThrownBy(() -> SafetensorsFile.open(path, 16))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(path + ": header length 57 exceeds the limit of 16 bytes");
        SafetensorsFile.open(path, 57).close();
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        assertRejected(fileWithLength(40, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]))
                .hasMessageEndingWith(": header length 40 exceeds the 2 bytes that follow the length field");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[] header = {'{', '"', (byte) 0xc3, '(', '"', ':', '1', '}'};
        assertRejected(fileWithLength(header.length, header, new byte[0]))
                .hasMessageEndingWith(": header is not valid UTF-8: malformed byte 0xc3 at header offset 2");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        assertRejected("{\"x\": {\"dtype\": ", 0).hasMessageContaining(": header is not valid JSON: ");
        assertRejected("{} trailing", 0).hasMessageContaining(": header is not valid JSON: ");
        assertRejected("", 0).hasMessageEndingWith(": header must be a JSON object, got nothing");
        assertRejected("[1, 2]", 0).hasMessageContaining(": is not a safetensors file (its header, after the 8-byte length,"
                + " does not start with '{')");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        assertRejected("{\"x\":" + F32_2X3 + ",\"x\":" + F32_2X3 + "}", 24)
                .hasMessageContaining("header is not valid JSON: Duplicate field 'x'");
    }

    @Test
    void entryThatIsNotAnObject() throws IOException {
        assertRejected("{\"x\":[1,2]}", 0)
                .hasMessageEndingWith(": header entry 'x' must be an object with dtype, shape and data_offsets, got [1,2]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"shape\":[2,3],\"data_offsets\":[0,24]}          | header entry 'x' lacks field 'dtype'",
        "{\"dtype\":\"F32\",\"data_offsets\":[0,24]}        | header entry 'x' lacks field 'shape'",
        "{\"dtype\":\"F32\",\"shape\":[2,3]}                | header entry 'x' lacks field 'data_offsets'",
        "{\"dtype\":32,\"shape\":[2,3],\"data_offsets\":[0,24]} | header entry 'x': field 'dtype' must be a string, got 32",
        "{\"dtype\":\"F32\",\"shape\":\"2x3\",\"data_offsets\":[0,24]} | header entry 'x': field 'shape' must be an array of integers, got \"2x3\"",
        "{\"dtype\":\"F32\",\"shape\":[2,3.0],\"data_offsets\":[0,24]} | header entry 'x': field 'shape' must be an array of integers, got [2,3.0]",
        "{\"dtype\":\"F32\",\"shape\":[2,99999999999999999999],\"data_offsets\":[0,24]} | header entry 'x': field 'shape' must be an array of integers, got [2,99999999999999999999]",
        "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":{\"begin\":0}} | header entry 'x': field 'data_offsets' must be an array of integers, got {\"begin\":0}",
        "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24,48]} | header entry 'x': field 'data_offsets' must be [begin, end], got [0, 24, 48]",
    })
    void entryWithAMissingOrMistypedField(String entry, String message) throws IOException {
        assertRejected("{\"x\":" + entry + "}", 48).hasMessageEndingWith(": " + message);
    }

    @Test
    void unknownDtype() throws IOException {
        assertRejected("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2)
                .hasMessageEndingWith(": header entry 'x': field 'dtype': unknown dtype 'F8_E4M3'; "
                        + "accepted: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL");
    }

    @Test
    void negativeDimension() throws IOException {
        assertRejected("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,-3],\"data_offsets\":[0,0]}}", 0)
                .hasMessageEndingWith(": header entry 'x': field 'shape' [2, -3] has negative dimension -3 at index 1");
    }

    @Test
    void offsetsOutOfOrder() throws IOException {
        assertRejected("{\"x\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[8,4]}}", 8)
                .hasMessageEndingWith(": header entry 'x': field 'data_offsets' [8, 4] is not [begin, end] with 0 <= begin <= end");
        assertRejected("{\"x\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[-4,0]}}", 8)
                .hasMessageContaining("field 'data_offsets' [-4, 0] is not [begin, end]");
    }

    @Test
    void offsetsBeyondTheDataSection() throws IOException {
        assertRejected("{\"x\":" + F32_2X3 + "}", 20)
                .hasMessageEndingWith(": header entry 'x': field 'data_offsets' [0, 24] ends beyond the data section, "
                        + "which holds 20 bytes");
    }

    @Test
    void byteLengthThatDisagreesWithShapeAndDtype() throws IOException {
        assertRejected("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 24)
                .hasMessageEndingWith(": header entry 'x': field 'data_offsets' [0, 20] spans 20 bytes, "
                        + "but dtype F32 with shape [2, 3] needs 24");
    }

    @Test
    void shapeTooLargeToCount() throws IOException {
        assertRejected("{\"x\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8)
                .hasMessageContaining(": header entry 'x': field 'shape': shape [4294967296, 4294967296] has more than");
    }

    @Test
    void overlappingTensors() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[12,28]}}", 28)
                .hasMessageEndingWith(": tensors 'a' (data_offsets [0, 16]) and 'b' (data_offsets [12, 28]) overlap");
    }

    @Test
    void emptyTensorsOverlapNothing() throws IOException {
        Path path = dir.resolve("empty-inside.safetensors");
        Files.write(path, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}", new byte[16]));
        try (SafetensorsFile read = SafetensorsFile.open(path)) {
            assertThat(read.names()).containsExactly("a", "e");
        }
    }

    @Test
    void metadataThatIsNotStrings() throws IOException {
        assertRejected("{\"__metadata__\":{\"epoch\":3}}", 0)
                .hasMessageEndingWith(": '__metadata__' value of 'epoch' must be a string, got 3");
        assertRejected("{\"__metadata__\":[\"a\"]}", 0)
                .hasMessageEndingWith(": '__metadata__' must be an object of strings, got [\"a\"]");
    }

    @Test
    void paddingGapsAndUnknownFieldsAreAccepted() throws IOException {
        Path path = dir.resolve("lenient.safetensors");
        String json = "{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6],\"note\":1},\"__metadata__\":null}   ";
        Files.write(path, file(json, new byte[] {0, 0, 0, 0, 7, 9, 0, 0}));
        try (SafetensorsFile read = SafetensorsFile.open(path)) {
            assertThat(read.readLongs("x")).containsExactly(7, 9);
            assertThat(read.metadata()).isEmpty();
        }
    }
}
