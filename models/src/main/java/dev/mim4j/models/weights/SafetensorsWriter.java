package dev.mim4j.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.AtomicFiles;

/**
 * Builds a safetensors file from named tensors and metadata, laid out byte for byte as the Python
 * reference writer lays it out: tensors sorted by name, compact JSON header padded with spaces to
 * a multiple of 8, metadata last.
 *
 * <p>Tensor bytes come from {@link TensorSource}s, called one at a time while the file is written,
 * so a large model never has to be in memory at once. {@link #write(Path)} replaces the target
 * atomically: a failure leaves any previous file untouched and no temporary file behind.
 */
public final class SafetensorsWriter {

    /** Bytes per chunk when converting a Java array to little-endian bytes. */
    private static final int CHUNK_BYTES = 1 << 16;

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> entries = new TreeMap<>(SafetensorsHeader.CODE_POINT_ORDER);
    private boolean checksums;

    private record Entry(DType dtype, long[] shape, long byteLength, TensorSource source) {}

    /**
     * Sets metadata entry {@code key}; setting a key again replaces its value but keeps its position. The
     * entry {@value SafetensorsChecksums#KEY} is the writer's own: a value given for it (copied from another
     * file, say) is left out.
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Writes a CRC32C of every tensor and of the header into the metadata
     * ({@value SafetensorsChecksums#KEY}), which {@link SafetensorsFile} checks on reading: a file changed
     * after it was written, by a disk error or by hand, is then refused with a sentence naming the tensor,
     * not trusted. Off by default, which keeps the bytes of Python's writer.
     */
    public SafetensorsWriter withChecksums() {
        this.checksums = true;
        return this;
    }

    /**
     * Adds tensor {@code name} of {@code dtype} and {@code shape}, whose bytes {@code source} writes
     * when {@link #write(Path)} runs.
     *
     * @throws IllegalArgumentException if the name is taken or reserved, or the shape has a
     *     negative dimension
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, TensorSource source) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(source, "source");
        long[] copy = Objects.requireNonNull(shape, "shape").clone();
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new Mim4jException("tensor name", "tensor name '" + name + "' is reserved for the metadata");
        }
        if (entries.containsKey(name)) {
            throw new Mim4jException("tensor name", "tensor '" + name + "' was already added");
        }
        long byteLength;
        try {
            byteLength = TensorInfo.byteLength(dtype, copy);
        } catch (IllegalArgumentException e) {
            throw new Mim4jException("tensor", "tensor '" + name + "': " + e.getMessage(), e);
        }
        entries.put(name, new Entry(dtype, copy, byteLength, source));
        return this;
    }

    /**
     * Adds an F32 tensor holding {@code data} in row-major order; the array is read when
     * {@link #write(Path)} runs, not copied now.
     *
     * @throws IllegalArgumentException if {@code data} does not have product(shape) elements
     */
    public SafetensorsWriter add(String name, float[] data, long... shape) {
        checkLength(name, data.length, shape);
        return add(name, DType.F32, shape, out -> writeFloats(out, data));
    }

    /**
     * Adds an I64 tensor holding {@code data} in row-major order; the array is read when
     * {@link #write(Path)} runs, not copied now.
     *
     * @throws IllegalArgumentException if {@code data} does not have product(shape) elements
     */
    public SafetensorsWriter add(String name, long[] data, long... shape) {
        checkLength(name, data.length, shape);
        return add(name, DType.I64, shape, out -> writeLongs(out, data));
    }

    /**
     * Writes the file to a temporary file next to {@code path}, forces it to disk and renames it
     * over {@code path}, atomically where the file system allows.
     *
     * @throws IOException if a source fails or writes a different number of bytes than its tensor
     *     declares (the message names the tensor), or the file cannot be written; {@code path} is
     *     then left as it was
     */
    public void write(Path path) throws IOException {
        Path target = path.toAbsolutePath();
        List<TensorInfo> layout = layout();
        Map<String, String> written = new LinkedHashMap<>(metadata);
        written.remove(SafetensorsChecksums.KEY);
        int headerChecksum = checksums ? SafetensorsChecksums.headerChecksum(layout, written) : 0;
        Map<String, Integer> tensorChecksums = new LinkedHashMap<>();
        if (checksums) {
            // zeros now, the checksums once the tensors are written: the entry's length stays the same
            layout.forEach(tensor -> tensorChecksums.put(tensor.name(), 0));
            written.put(SafetensorsChecksums.KEY, SafetensorsChecksums.entry(headerChecksum, tensorChecksums));
        }
        byte[] header = SafetensorsHeader.encode(layout, written);
        try {
            AtomicFiles.write(target, temporary -> {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                    prefix.putLong(header.length).put(header).flip();
                    writeFully(channel, prefix);
                    for (TensorInfo tensor : layout) {
                        CountingChannel counter = new CountingChannel(channel);
                        entries.get(tensor.name()).source().writeTo(counter);
                        if (counter.count != tensor.byteLength()) {
                            throw new IOException(target + ": tensor '" + tensor.name() + "' ("
                                    + tensor.dtype().code() + " " + Arrays.toString(tensor.shape()) + ") declares "
                                    + tensor.byteLength() + " bytes, but its source wrote " + counter.count);
                        }
                        tensorChecksums.put(tensor.name(), (int) counter.checksum.getValue());
                    }
                    if (checksums) {
                        written.put(SafetensorsChecksums.KEY,
                                SafetensorsChecksums.entry(headerChecksum, tensorChecksums));
                        byte[] checked = SafetensorsHeader.encode(layout, written);
                        if (checked.length != header.length) {
                            throw new IllegalStateException("the header with checksums is " + checked.length
                                    + " bytes long, the one written " + header.length);
                        }
                        ByteBuffer rewrite = ByteBuffer.wrap(checked);
                        while (rewrite.hasRemaining()) {
                            channel.write(rewrite, 8 + rewrite.position());
                        }
                    }
                    // Without this, a crash shortly after the rename can leave an empty or partial file
                    // under the final name.
                    channel.force(true);
                }
            });
        } catch (IOException io) {
            if (!String.valueOf(io.getMessage()).startsWith(target.toString())) {
                // "No space left on device" alone does not say which file, nor that the old one is safe
                throw new IOException(target + ": could not be written (" + AtomicFiles.reason(io) + "); a file"
                        + " already there under this name is left as it was", io);
            }
            throw io;
        }
    }

    /** The tensors in name order with their offsets in the data section. */
    private List<TensorInfo> layout() {
        List<TensorInfo> layout = new ArrayList<>(entries.size());
        long offset = 0;
        for (Map.Entry<String, Entry> named : entries.entrySet()) {
            Entry entry = named.getValue();
            long end = Math.addExact(offset, entry.byteLength());
            layout.add(new TensorInfo(named.getKey(), entry.dtype(), entry.shape(), offset, end));
            offset = end;
        }
        return layout;
    }

    private static void checkLength(String name, int length, long[] shape) {
        long expected;
        try {
            expected = TensorInfo.elementCount(shape);
        } catch (IllegalArgumentException e) {
            throw new Mim4jException("tensor", "tensor '" + name + "': " + e.getMessage(), e);
        }
        if (length != expected) {
            throw new Mim4jException("tensor", "tensor '" + name + "': shape " + Arrays.toString(shape) + " has "
                    + expected + " elements, but the array has " + length);
        }
    }

    private static void writeFloats(WritableByteChannel out, float[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer view = bytes.asFloatBuffer();
        for (int start = 0; start < data.length; start += view.capacity()) {
            int count = Math.min(view.capacity(), data.length - start);
            view.clear();
            view.put(data, start, count);
            bytes.clear().limit(count * Float.BYTES);
            writeFully(out, bytes);
        }
    }

    private static void writeLongs(WritableByteChannel out, long[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        LongBuffer view = bytes.asLongBuffer();
        for (int start = 0; start < data.length; start += view.capacity()) {
            int count = Math.min(view.capacity(), data.length - start);
            view.clear();
            view.put(data, start, count);
            bytes.clear().limit(count * Long.BYTES);
            writeFully(out, bytes);
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    /**
     * Passes writes through to the file while counting them and taking their checksum; closing it only
     * stops this view, since the file must stay open for the tensors that follow.
     */
    private static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel file;
        private final CRC32C checksum = new CRC32C();
        private long count;
        private boolean open = true;

        CountingChannel(WritableByteChannel file) {
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            ByteBuffer taken = src.duplicate();
            int written = file.write(src);
            checksum.update(taken.limit(taken.position() + written));
            count += written;
            return written;
        }

        @Override
        public boolean isOpen() {
            return open && file.isOpen();
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
