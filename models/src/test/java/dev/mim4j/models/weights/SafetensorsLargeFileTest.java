package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that files and tensors beyond what one ByteBuffer addresses are mapped in windows. */
class SafetensorsLargeFileTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTwoGibibytesOpensAndReadsEveryTensor() throws IOException {
        long half = GIB + GIB / 4;
        Path path = dir.resolve("large.safetensors");
        String json = "{\"a\":{\"dtype\":\"U8\",\"shape\":[" + half + "],\"data_offsets\":[0," + half + "]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[" + half + "],\"data_offsets\":[" + half + "," + 2 * half + "]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + 2 * half + "," + (2 * half + 8) + "]}}";
        long dataStart = writeSparse(path, json, 2 * half + 8);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            write(channel, dataStart + half - 1, new byte[] {11});
            write(channel, dataStart + half, new byte[] {22});
            write(channel, dataStart + 2 * half - 1, new byte[] {33});
            write(channel, dataStart + 2 * half,
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-4f).array());
        }
        assertThat(Files.size(path)).isGreaterThan(2 * GIB + GIB / 2);

        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            ByteBuffer a = file.data("a");
            ByteBuffer b = file.data("b");
            assertThat((long) a.capacity()).isEqualTo(half);
            assertThat(a.get((int) half - 1)).isEqualTo((byte) 11);
            assertThat(b.get(0)).isEqualTo((byte) 22);
            assertThat(b.get((int) half - 1)).isEqualTo((byte) 33);
            assertThat(file.readFloats("c")).containsExactly(1.5f, -4f);
        }
    }

    @Test
    void aSingleTensorBeyondTwoGibibytesIsRefusedByNameWhileOthersRead() throws IOException {
        long huge = 2 * GIB;
        Path path = dir.resolve("huge.safetensors");
        String json = "{\"huge\":{\"dtype\":\"U8\",\"shape\":[" + huge + "],\"data_offsets\":[0," + huge + "]},"
                + "\"small\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[" + huge + "," + (huge + 4) + "]}}";
        long dataStart = writeSparse(path, json, huge + 4);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            write(channel, dataStart + huge, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(9f).array());
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.info("huge").orElseThrow().byteLength()).isEqualTo(huge);
            assertThatThrownBy(() -> file.data("huge"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage(path + ": tensor 'huge' holds 2147483648 bytes, more than the 2147483647 a ByteBuffer "
                            + "can address");
            assertThat(file.readFloats("small")).containsExactly(9f);
        }
    }

    @Test
    void tensorsAreGroupedIntoWindowsWithoutSplittingAny() throws IOException {
        Path path = dir.resolve("windows.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter();
        for (int i = 0; i < 20; i++) {
            writer.add(String.format("t%02d", i), new float[] {i, -i, i * 0.5f, 1f / (i + 1), i, i}, 2, 3);
        }
        writer.add("zz_big", new float[20], 20);
        writer.write(path);
        // 24-byte tensors in 64-byte windows: two per window, so every window boundary is crossed.
        try (SafetensorsFile file = SafetensorsFile.open(path, SafetensorsFile.DEFAULT_MAX_HEADER_BYTES, 64)) {
            for (int i = 0; i < 20; i++) {
                assertThat(file.readFloats(String.format("t%02d", i)))
                        .containsExactly(i, -i, i * 0.5f, 1f / (i + 1), i, i);
            }
            assertThatThrownBy(() -> file.data("zz_big"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("tensor 'zz_big' holds 80 bytes, more than the 64");
        }
    }

    /** Writes the header and extends the file to its full length without writing the data, which stays sparse. */
    private static long writeSparse(Path path, String json, long dataBytes) throws IOException {
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded.length()).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII)).flip();
        long dataStart = prefix.remaining();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(prefix);
            write(channel, dataStart + dataBytes - 1, new byte[] {0});
        }
        return dataStart;
    }

    private static void write(FileChannel channel, long position, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }
}
