package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writes files with {@link SafetensorsWriter} and reads them back with {@link SafetensorsFile}. */
class SafetensorsRoundTripTest {

    private static final List<long[]> SHAPES =
            List.of(new long[] {}, new long[] {0}, new long[] {2, 0, 3}, new long[] {7}, new long[] {3, 5}, new long[] {2, 1, 3, 2});

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeAndShapeRoundTripsByteForByte(DType dtype) throws IOException {
        Random random = new Random(dtype.ordinal());
        SafetensorsWriter writer = new SafetensorsWriter();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < SHAPES.size(); i++) {
            long[] shape = SHAPES.get(i);
            byte[] bytes = new byte[(int) (TensorInfo.elementCount(shape) * dtype.byteSize())];
            random.nextBytes(bytes);
            contents.add(bytes);
            writer.add("t" + i, dtype, shape, TensorSource.of(ByteBuffer.wrap(bytes)));
        }
        Path file = dir.resolve("all.safetensors");
        writer.write(file);

        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.names()).hasSize(SHAPES.size());
            for (int i = 0; i < SHAPES.size(); i++) {
                TensorInfo info = read.info("t" + i).orElseThrow();
                assertThat(info.dtype()).isEqualTo(dtype);
                assertThat(info.shape()).containsExactly(SHAPES.get(i));
                assertThat(info.byteLength()).isEqualTo(contents.get(i).length);
                ByteBuffer data = read.data("t" + i);
                assertThat(data.isReadOnly()).isTrue();
                assertThat(data.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
                byte[] actual = new byte[data.remaining()];
                data.get(actual);
                assertThat(actual).isEqualTo(contents.get(i));
            }
        }
    }

    @Test
    void scalarsAndEmptyTensorsAreDescribedExactly() throws IOException {
        Path file = dir.resolve("shapes.safetensors");
        new SafetensorsWriter()
                .add("scalar", new float[] {2.5f})
                .add("empty", new float[0], 4, 0)
                .add("count", new long[] {42})
                .write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            TensorInfo scalar = read.info("scalar").orElseThrow();
            assertThat(scalar.rank()).isZero();
            assertThat(scalar.elementCount()).isEqualTo(1);
            assertThat(read.readFloats("scalar")).containsExactly(2.5f);
            TensorInfo empty = read.info("empty").orElseThrow();
            assertThat(empty.shape()).containsExactly(4, 0);
            assertThat(empty.elementCount()).isZero();
            assertThat(empty.byteLength()).isZero();
            assertThat(read.data("empty").remaining()).isZero();
            assertThat(read.readFloats("empty")).isEmpty();
            assertThat(read.readLongs("count")).containsExactly(42);
        }
    }

    @Test
    void convenienceArraysRoundTripThroughReadFloatsAndReadLongs() throws IOException {
        float[] floats = new float[50_000];
        long[] longs = new long[20_000];
        Random random = new Random(3);
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < longs.length; i++) {
            longs[i] = random.nextLong();
        }
        Path file = dir.resolve("arrays.safetensors");
        new SafetensorsWriter().add("w", floats, 500, 100).add("ids", longs, 20_000).write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.readFloats("w")).containsExactly(floats);
            assertThat(read.readLongs("ids")).containsExactly(longs);
            assertThat(read.data("w").getFloat(4 * 7)).isEqualTo(floats[7]);
        }
    }

    @Test
    void readFloatsAndReadLongsConvertEachDtype() throws IOException {
        Path file = dir.resolve("typed.safetensors");
        float[] halves = {1.0f, -0.5f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY};
        new SafetensorsWriter()
                .add("f16", DType.F16, new long[] {5}, shorts(halves, HalfFloats::floatToFp16))
                .add("bf16", DType.BF16, new long[] {5}, shorts(halves, HalfFloats::floatToBf16))
                .add("f64", DType.F64, new long[] {2}, bytes(16, b -> b.putDouble(0.1).putDouble(-1e300)))
                .add("i32", DType.I32, new long[] {2}, bytes(8, b -> b.putInt(-7).putInt(Integer.MAX_VALUE)))
                .add("i16", DType.I16, new long[] {2}, bytes(4, b -> b.putShort((short) -300).putShort((short) 300)))
                .add("i8", DType.I8, new long[] {2}, bytes(2, b -> b.put((byte) -128).put((byte) 127)))
                .add("u8", DType.U8, new long[] {2}, bytes(2, b -> b.put((byte) 0xff).put((byte) 1)))
                .add("bool", DType.BOOL, new long[] {3}, bytes(3, b -> b.put((byte) 1).put((byte) 0).put((byte) 1)))
                .write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.readFloats("f16")).containsExactly(halves);
            assertThat(read.readFloats("bf16")).containsExactly(1.0f, -0.5f, 65536f, 0x1p-24f, Float.POSITIVE_INFINITY);
            assertThat(read.readFloats("f64")).containsExactly(0.1f, Float.NEGATIVE_INFINITY);
            assertThat(read.readLongs("i32")).containsExactly(-7, Integer.MAX_VALUE);
            assertThat(read.readLongs("i16")).containsExactly(-300, 300);
            assertThat(read.readLongs("i8")).containsExactly(-128, 127);
            assertThat(read.readLongs("u8")).containsExactly(255, 1);
            assertThat(read.readLongs("bool")).containsExactly(1, 0, 1);

            assertThatThrownBy(() -> read.readLongs("f16"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(file + ": tensor 'f16' is F16");
            assertThatThrownBy(() -> read.readFloats("i8"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(file + ": tensor 'i8' is I8");
            assertThatThrownBy(() -> read.data("missing"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": no tensor named 'missing'");
        }
    }

    @Test
    void bf16WrittenAsPythonDoesReadsAsTheTopHalfOfTheFloat() throws IOException {
        // The reference writer stores bf16 as t.view(torch.int16): each element is the top 16 bits
        // of the float32, little-endian.
        float[] values = {1.5f, -2.25f, 3.140625f, 0.0078125f};
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            data.putShort((short) (Float.floatToIntBits(value) >>> 16));
        }
        Path file = dir.resolve("bf16.safetensors");
        Files.write(file, SafetensorsFileValidationTest.file(
                "{\"x\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", data.array()));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.data("x").get(0)).isEqualTo((byte) 0xc0);
            assertThat(read.data("x").get(1)).isEqualTo((byte) 0x3f);
            assertThat(read.readFloats("x")).containsExactly(values);
        }
    }

    @Test
    void metadataRoundTripsInInsertionOrder() throws IOException {
        Path file = dir.resolve("meta.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .metadata("source", "mim4j \"ünïcödé\" \n 🙂")
                .metadata("empty", "")
                .metadata("format", "pt2")
                .add("x", new float[] {1f})
                .write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.metadata()).containsExactly(
                    Map.entry("format", "pt2"), Map.entry("source", "mim4j \"ünïcödé\" \n 🙂"), Map.entry("empty", ""));
        }
    }

    @Test
    void headerIsLaidOutLikeThePythonReferenceWriter() throws IOException {
        Path file = dir.resolve("layout.safetensors");
        new SafetensorsWriter()
                .add("b", new float[] {1f, 2f}, 2)
                .add("a", new long[] {5}, 1)
                .add("é", new float[] {3f})
                .metadata("k", "v")
                .write(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buffer.getLong();
        String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
        // What json.dumps(header, separators=(",", ":")) gives for the same tensors, then padding.
        String json = "{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"\\u00e9\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[16,20]},"
                + "\"__metadata__\":{\"k\":\"v\"}}";
        assertThat(header).isEqualTo(json + " ".repeat((8 - json.length() % 8) % 8));
        assertThat(headerLength % 8).isZero();
        assertThat(bytes).hasSize(8 + headerLength + 20);
        assertThat(buffer.position(8 + headerLength).getLong()).isEqualTo(5);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.names()).containsExactly("a", "b", "é");
        }
    }

    @Test
    void namesAreSortedByCodePointLikePython() throws IOException {
        // U+1F642 sorts after U+FF21 by code point, though its UTF-16 surrogates sort before it.
        Path file = dir.resolve("order.safetensors");
        new SafetensorsWriter().add("\ud83d\ude42", new float[] {1f}).add("\uff21", new float[] {2f})
                .add("z", new float[] {3f}).write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.names()).containsExactly("z", "\uff21", "\ud83d\ude42");
        }
        String header = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        assertThat(header).contains("\"\\ud83d\\ude42\":");
    }

    @Test
    void anEmptyWriterWritesAnEmptyObject() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        new SafetensorsWriter().write(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(SafetensorsFileValidationTest.file("{}      ", new byte[0]));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.tensors()).isEmpty();
            assertThat(read.metadata()).isEmpty();
        }
    }

    @Test
    void tensorsComeInFileOrderAndDataIsIndependentPerCall() throws IOException {
        Path file = dir.resolve("file-order.safetensors");
        new SafetensorsWriter().add("b", new float[] {1f, 2f}, 2).add("a", new float[] {3f}, 1).write(file);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertThat(read.tensors()).extracting(TensorInfo::name).containsExactly("a", "b");
            assertThat(read.tensors().get(1)).isEqualTo(new TensorInfo("b", DType.F32, new long[] {2}, 4, 12));
            ByteBuffer first = read.data("b");
            first.getFloat();
            assertThat(read.data("b").position()).isZero();
            assertThat(read.path()).isEqualTo(file);
        }
    }

    @Test
    void closedFilesRefuseDataButKeepTheirHeader() throws IOException {
        Path file = dir.resolve("closed.safetensors");
        new SafetensorsWriter().add("x", new float[] {1f, 2f}, 2).write(file);
        SafetensorsFile read = SafetensorsFile.open(file);
        ByteBuffer before = read.data("x");
        read.close();
        assertThat(before.getFloat(4)).isEqualTo(2f);
        assertThat(read.names()).containsExactly("x");
        assertThatThrownBy(() -> read.data("x")).isInstanceOf(IllegalStateException.class)
                .hasMessage(file + ": closed");
    }

    @Test
    void tensorInfoComparesShapesByValueAndCopiesThem() {
        long[] shape = {2, 3};
        TensorInfo info = new TensorInfo("w", DType.BF16, shape, 8, 20);
        shape[0] = 99;
        info.shape()[1] = 99;
        assertThat(info.shape()).containsExactly(2, 3);
        assertThat(info).isEqualTo(new TensorInfo("w", DType.BF16, new long[] {2, 3}, 8, 20))
                .hasSameHashCodeAs(new TensorInfo("w", DType.BF16, new long[] {2, 3}, 8, 20))
                .isNotEqualTo(new TensorInfo("w", DType.BF16, new long[] {3, 2}, 8, 20));
        assertThat(info).hasToString("TensorInfo[name=w, dtype=BF16, shape=[2, 3], begin=8, end=20]");
        assertThatThrownBy(() -> new TensorInfo("w", DType.F32, new long[] {2, 3}, 0, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 24");
    }

    @Test
    void dtypeCodesAreTheSafetensorsStrings() {
        for (DType dtype : DType.values()) {
            assertThat(DType.fromCode(dtype.code())).isSameAs(dtype);
        }
        assertThat(DType.BF16.code()).isEqualTo("BF16");
        assertThat(DType.BOOL.byteSize()).isEqualTo(1);
        assertThat(DType.F64.byteSize()).isEqualTo(8);
        assertThatThrownBy(() -> DType.fromCode("f32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown dtype 'f32'; accepted: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL");
    }

    private static TensorSource shorts(float[] values, FloatToShort convert) {
        return bytes(values.length * 2, b -> {
            for (float value : values) {
                b.putShort(convert.apply(value));
            }
        });
    }

    private static TensorSource bytes(int length, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return TensorSource.of(b.flip());
    }

    @FunctionalInterface
    private interface FloatToShort {
        short apply(float value);
    }
}
