package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written with checksums is read back as written, and a change to any of its bytes afterwards, in a
 * tensor or in the header, is refused with a sentence naming the file and what changed.
 */
class SafetensorsChecksumsTest {

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void writeAFileWithChecksums() throws IOException {
        file = dir.resolve("checked.safetensors");
        new SafetensorsWriter().withChecksums()
                .metadata("mim4j.config", "{\"lr\":1.5e-4}")
                .add("first", new float[] {1f, 2f, 3f, 4f}, 2, 2)
                .add("second", new long[] {7, 8, 9}, 3)
                .write(file);
    }

    @Test
    void anUnchangedFileReadsBackAndVerifies() throws IOException {
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.checksummed()).isTrue();
            read.verify();
            assertThat(read.readFloats("first")).containsExactly(1f, 2f, 3f, 4f);
            assertThat(read.readLongs("second")).containsExactly(7, 8, 9);
            assertThat(read.metadata()).containsEntry("mim4j.config", "{\"lr\":1.5e-4}")
                    .containsKey(SafetensorsChecksums.KEY);
        }
    }

    @Test
    void aChangedByteInATensorIsRefusedWhenThatTensorIsRead() throws IOException {
        long secondStart = dataStart() + 16;
        flipByte(secondStart + 3);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.readFloats("first")).containsExactly(1f, 2f, 3f, 4f);
            assertThatThrownBy(() -> read.readLongs("second")).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageStartingWith(file + ": tensor 'second' does not match the checksum written with it")
                    .hasMessageContaining("the file is damaged (changed after it was written, or a disk error");
            assertThatThrownBy(read::verify).hasMessageContaining("tensor 'second'");
        }
    }

    @Test
    void everyByteOfTheDataSectionIsCovered() throws IOException {
        byte[] original = Files.readAllBytes(file);
        for (long at = dataStart(); at < original.length; at++) {
            flipByte(at);
            try (SafetensorsFile read = SafetensorsFile.open(file)) {
                assertThatThrownBy(read::verify).as("byte %d changed", at).isInstanceOf(SafetensorsFormatException.class);
            }
            Files.write(file, original);
        }
    }

    @Test
    void aChangedMetadataValueIsRefusedOnOpening() throws IOException {
        String header = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        int digit = header.indexOf("1.5e-4") + 2;
        Files.write(file, (header.substring(0, digit) + "6" + header.substring(digit + 1))
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(file + ": its header (the tensors' names, types, shapes and offsets, and its"
                        + " metadata) does not match the checksum written with it");
    }

    @Test
    void aChangedChecksumIsRefusedToo() throws IOException {
        String header = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        int at = header.indexOf("\\\"first\\\":\\\"") + "\\\"first\\\":\\\"".length();
        char digit = header.charAt(at) == '0' ? '1' : '0';
        Files.write(file, (header.substring(0, at) + digit + header.substring(at + 1))
                .getBytes(StandardCharsets.ISO_8859_1));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> read.readFloats("first")).hasMessageContaining("tensor 'first' does not match");
        }
    }

    @Test
    void aFileWithoutChecksumsIsReadAsBefore() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        new SafetensorsWriter().add("first", new float[] {1f}, 1).write(plain);
        try (SafetensorsFile read = SafetensorsFile.open(plain)) {
            assertThat(read.checksummed()).isFalse();
            read.verify();
            assertThat(read.metadata()).isEmpty();
        }
    }

    @Test
    void checksumsCopiedFromAnotherFileAreNotWrittenAsTheNewFilesOwn() throws IOException {
        Path copy = dir.resolve("copy.safetensors");
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            SafetensorsWriter writer = new SafetensorsWriter().add("first", new float[] {5f}, 1);
            read.metadata().forEach(writer::metadata);
            writer.write(copy);
        }
        try (SafetensorsFile read = SafetensorsFile.open(copy)) {
            assertThat(read.checksummed()).isFalse();
            assertThat(read.metadata()).isEqualTo(Map.of("mim4j.config", "{\"lr\":1.5e-4}"));
        }
    }

    /** Where the tensors' bytes start: after the 8-byte header length and the header. */
    private long dataStart() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return 8 + ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private void flipByte(long at) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) at] ^= 0x5a;
        Files.write(file, bytes);
    }
}
