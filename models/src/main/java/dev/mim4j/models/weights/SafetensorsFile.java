package dev.mim4j.models.weights;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.image.ImageFormat;

/**
 * A safetensors file opened for reading: the header is parsed and validated up front, and the data
 * section is memory-mapped, so tensors are read straight from the page cache and never copied
 * into the heap as a whole.
 *
 * <p>The data section is mapped in windows of at most 2 GiB (the most a {@link ByteBuffer} can
 * address), each holding whole tensors, so files of any total size open; only a single tensor
 * larger than 2 GiB cannot be handed out as a buffer. Instances are safe to share between threads.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The header size {@link #open(Path)} accepts, as in the reference implementation's guard. */
    public static final long DEFAULT_MAX_HEADER_BYTES = 100L << 20;

    /** Length of the little-endian unsigned header-size field that starts every file. */
    private static final int LENGTH_FIELD_BYTES = 8;

    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0).asReadOnlyBuffer();

    private final Path path;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final Map<String, String> metadata;
    private final long maxBufferBytes;
    /** The checksums the file holds (null for a file written without them) and the tensors already checked. */
    private final SafetensorsChecksums checksums;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    /** Each non-empty tensor's bytes within its window; null once closed, so the mappings can be collected. */
    private volatile Map<String, ByteBuffer> regions;

    private SafetensorsFile(Path path, SafetensorsHeader header, SafetensorsChecksums checksums,
            Map<String, ByteBuffer> regions, long maxBufferBytes) {
        this.path = path;
        this.tensors = header.tensors();
        Map<String, TensorInfo> names = new LinkedHashMap<>();
        for (TensorInfo tensor : tensors) {
            names.put(tensor.name(), tensor);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.metadata = header.metadata();
        this.regions = regions;
        this.maxBufferBytes = maxBufferBytes;
        this.checksums = checksums;
    }

    /** Opens {@code path}, accepting headers up to {@link #DEFAULT_MAX_HEADER_BYTES}. */
    public static SafetensorsFile open(Path path) throws IOException {
        return open(path, DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * Opens {@code path}, refusing a header longer than {@code maxHeaderBytes} before reading it, so
     * a corrupt length field cannot make us allocate gigabytes.
     *
     * @throws SafetensorsFormatException if the file is not well-formed; the message starts with
     *     the path and names the offending field and values
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile open(Path path, long maxHeaderBytes) throws IOException {
        return open(path, maxHeaderBytes, Integer.MAX_VALUE);
    }

    /** Opens {@code path} with windows of at most {@code maxBufferBytes}, which tests make small. */
    static SafetensorsFile open(Path path, long maxHeaderBytes, long maxBufferBytes) throws IOException {
        if (maxHeaderBytes < 0 || maxHeaderBytes > Integer.MAX_VALUE - LENGTH_FIELD_BYTES) {
            throw new Mim4jException("maxHeaderBytes", "maxHeaderBytes must be in [0, " + (Integer.MAX_VALUE
                    - LENGTH_FIELD_BYTES) + "], got " + maxHeaderBytes);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < LENGTH_FIELD_BYTES) {
                throw new SafetensorsFormatException(path, "file is " + fileSize
                        + " bytes long, too short for the 8-byte header length");
            }
            ByteBuffer lengthField = readFully(path, channel, 0, LENGTH_FIELD_BYTES);
            // a safetensors header is JSON: its first byte, after the length, is '{'
            boolean jsonFollows = fileSize > LENGTH_FIELD_BYTES
                    && readFully(path, channel, LENGTH_FIELD_BYTES, 1).get(0) == '{';
            if (!jsonFollows && isTorchSave(lengthField)) {
                throw new SafetensorsFormatException(path, "is a file written by torch.save (a .pth: a zip archive or"
                        + " a pickle), not safetensors; a checkpoint of mim4j is a .safetensors file, and .pth weights"
                        + " load with PthWeights (or convert them in Python with safetensors.torch.save_file)");
            }
            if (!jsonFollows && fileSize > LENGTH_FIELD_BYTES) {
                throw new SafetensorsFormatException(path, "is not a safetensors file (its header, after the 8-byte"
                        + " length, does not start with '{')" + imageHint(lengthField)
                        + "; a checkpoint of mim4j is the .safetensors file a run writes");
            }
            long headerLength = lengthField.order(ByteOrder.LITTLE_ENDIAN).getLong();
            // The field is unsigned: a set top bit reads as a negative long but means a huge length.
            if (Long.compareUnsigned(headerLength, maxHeaderBytes) > 0) {
                throw new SafetensorsFormatException(path, "header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + maxHeaderBytes + " bytes");
            }
            if (headerLength > fileSize - LENGTH_FIELD_BYTES) {
                throw new SafetensorsFormatException(path, "header length " + headerLength + " exceeds the "
                        + (fileSize - LENGTH_FIELD_BYTES) + " bytes that follow the length field");
            }
            ByteBuffer headerBytes = readFully(path, channel, LENGTH_FIELD_BYTES, (int) headerLength);
            long dataStart = LENGTH_FIELD_BYTES + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(path, headerBytes.array(), fileSize - dataStart);
            SafetensorsChecksums checksums = SafetensorsChecksums.read(path, header);
            Map<String, ByteBuffer> regions = map(channel, dataStart, header.tensors(), maxBufferBytes);
            // The mappings outlive the channel, so it is closed here rather than held until close().
            return new SafetensorsFile(path, header, checksums, regions, maxBufferBytes);
        }
    }

    /** Whether the file starts as torch.save writes: a zip archive ("PK\3\4") or a pickle (protocol 2+). */
    /** ": it is a PNG image" when the first bytes are an image's, else nothing. */
    private static String imageHint(ByteBuffer start) {
        byte[] first = new byte[start.limit()];
        start.duplicate().rewind().get(first);
        return ImageFormat.of(first).map(format -> ": it is a " + format + " image").orElse("");
    }

    private static boolean isTorchSave(ByteBuffer start) {
        int first = start.get(0) & 0xff;
        int second = start.get(1) & 0xff;
        boolean pickle = first == 0x80 && second >= 2 && second <= 5;
        return WeightFiles.startsAsZip(start) || pickle;
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The tensors in the order of their bytes in the file. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** The tensor called {@code name}, if the file has one. */
    public Optional<TensorInfo> info(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tensor names, in the order of their bytes in the file. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The header's {@code __metadata__} entries in header order; empty if it has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Whether the file holds checksums ({@link SafetensorsWriter#withChecksums()}), which its header was
     * checked against on opening and each tensor is checked against when its bytes are first handed out.
     */
    public boolean checksummed() {
        return checksums != null;
    }

    /**
     * Checks every tensor's bytes against their checksum now, rather than as each is read; nothing to check
     * in a file written without checksums.
     *
     * @throws SafetensorsFormatException naming the file and the first tensor whose bytes do not match
     */
    public void verify() throws SafetensorsFormatException {
        if (checksums == null) {
            return;
        }
        for (TensorInfo tensor : tensors) {
            data(tensor.name());
        }
    }

    /**
     * The bytes of tensor {@code name}: a read-only, little-endian, direct buffer of exactly
     * {@link TensorInfo#byteLength()} bytes, positioned at 0. Each call returns a new buffer over
     * the same mapping, so callers may move its position freely; it stays readable after
     * {@link #close()}. In a file with checksums, the bytes are checked the first time they are handed out.
     *
     * @throws SafetensorsFormatException naming the file and the tensor when its bytes do not match their checksum
     * @throws IllegalArgumentException if there is no such tensor
     * @throws UnsupportedOperationException if the tensor is larger than a buffer can address
     * @throws IllegalStateException if this file has been closed
     */
    public ByteBuffer data(String name) throws SafetensorsFormatException {
        TensorInfo info = require(name);
        Map<String, ByteBuffer> current = regions;
        if (current == null) {
            throw new IllegalStateException(path + ": closed");
        }
        if (info.byteLength() == 0) {
            return EMPTY.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer region = current.get(name);
        if (region == null) {
            throw new UnsupportedOperationException(path + ": tensor '" + name + "' holds " + info.byteLength()
                    + " bytes, more than the " + maxBufferBytes + " a ByteBuffer can address");
        }
        if (checksums != null && !checked.contains(name)) {
            checksums.check(path, name, region);
            checked.add(name);
        }
        // duplicate() resets the byte order to big-endian, so it is set on every copy.
        return region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The elements of floating-point tensor {@code name} (F32, F16, BF16 or F64) as floats, in
     * row-major order; F64 values are rounded to the nearest float.
     *
     * @throws SafetensorsFormatException naming the file and the tensor when its bytes do not match their checksum
     * @throws IllegalArgumentException if there is no such tensor or it holds integers
     */
    public float[] readFloats(String name) throws SafetensorsFormatException {
        TensorInfo info = require(name);
        ByteBuffer bytes = data(name);
        float[] values = new float[(int) info.elementCount()];
        switch (info.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(values);
            case F64 -> {
                DoubleBuffer doubles = bytes.asDoubleBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) doubles.get(i);
                }
            }
            case F16 -> {
                ShortBuffer halves = bytes.asShortBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.fp16ToFloat(halves.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer halves = bytes.asShortBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.bf16ToFloat(halves.get(i));
                }
            }
            default -> throw new Mim4jException("dtype", path + ": tensor '" + name + "' is " + info.dtype().code()
                    + "; readFloats reads F32, F16, BF16 and F64, use readLongs");
        }
        return values;
    }

    /**
     * The elements of integer or boolean tensor {@code name} (I64, I32, I16, I8, U8 or BOOL) as
     * longs, in row-major order; signed types are sign-extended, U8 is not, BOOL gives 0 or 1.
     *
     * @throws SafetensorsFormatException naming the file and the tensor when its bytes do not match their checksum
     * @throws IllegalArgumentException if there is no such tensor or it holds floating-point values
     */
    public long[] readLongs(String name) throws SafetensorsFormatException {
        TensorInfo info = require(name);
        ByteBuffer bytes = data(name);
        long[] values = new long[(int) info.elementCount()];
        switch (info.dtype()) {
            case I64 -> bytes.asLongBuffer().get(values);
            case I32 -> {
                IntBuffer ints = bytes.asIntBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = ints.get(i);
                }
            }
            case I16 -> {
                ShortBuffer shorts = bytes.asShortBuffer();
                for (int i = 0; i < values.length; i++) {
                    values[i] = shorts.get(i);
                }
            }
            case I8 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = bytes.get(i);
                }
            }
            case U8 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = bytes.get(i) & 0xff;
                }
            }
            case BOOL -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = bytes.get(i) != 0 ? 1 : 0;
                }
            }
            default -> throw new Mim4jException("dtype", path + ": tensor '" + name + "' is " + info.dtype().code()
                    + "; readLongs reads I64, I32, I16, I8, U8 and BOOL, use readFloats");
        }
        return values;
    }

    /**
     * Stops handing out tensor data. Buffers already returned stay valid: Java 17 cannot unmap a
     * buffer safely, so each mapping is released when the last buffer over it is garbage-collected.
     */
    @Override
    public void close() {
        regions = null;
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }

    private TensorInfo require(String name) {
        TensorInfo info = byName.get(name);
        if (info == null) {
            throw new Mim4jException("name", path + ": no tensor named '" + name + "'");
        }
        return info;
    }

    /**
     * Maps the non-empty tensors of {@code sorted} (in file order) into as few windows of at most
     * {@code maxBufferBytes} as fit them whole, and slices each tensor's region out of its window;
     * tensors too large for any window get no region.
     */
    private static Map<String, ByteBuffer> map(FileChannel channel, long dataStart, List<TensorInfo> sorted,
            long maxBufferBytes) throws IOException {
        Map<String, ByteBuffer> regions = new HashMap<>();
        List<TensorInfo> window = new ArrayList<>();
        for (TensorInfo tensor : sorted) {
            if (tensor.byteLength() == 0 || tensor.byteLength() > maxBufferBytes) {
                continue;
            }
            if (!window.isEmpty() && tensor.end() - window.get(0).begin() > maxBufferBytes) {
                mapWindow(channel, dataStart, window, regions);
                window.clear();
            }
            window.add(tensor);
        }
        if (!window.isEmpty()) {
            mapWindow(channel, dataStart, window, regions);
        }
        return Collections.unmodifiableMap(regions);
    }

    private static void mapWindow(FileChannel channel, long dataStart, List<TensorInfo> window,
            Map<String, ByteBuffer> regions) throws IOException {
        // Tensors do not overlap and come in file order, so the last one ends the window.
        long begin = window.get(0).begin();
        long end = window.get(window.size() - 1).end();
        ByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin);
        for (TensorInfo tensor : window) {
            regions.put(tensor.name(), mapping.slice((int) (tensor.begin() - begin), (int) tensor.byteLength()));
        }
    }

    private static ByteBuffer readFully(Path path, FileChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException(path + ": file ended while reading bytes " + position + " to "
                        + (position + length));
            }
        }
        return buffer.flip();
    }
}
