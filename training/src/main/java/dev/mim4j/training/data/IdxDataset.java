package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import dev.mim4j.models.image.DataChecks;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.UnitBytes;

/**
 * Grayscale images in the IDX format of MNIST and Fashion-MNIST (an images file and an optional
 * labels file, each gzipped or not), held in memory as bytes: 60,000 images of 28x28 take 47 MB.
 */
public final class IdxDataset implements ImageDataset {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private final String name;
    private final ImageSize size;
    private final int count;
    private final byte[] images;
    private final byte[] labels;
    private final int labelBound;
    private final List<String> classNames;

    private IdxDataset(String name, ImageSize size, int count, byte[] images, byte[] labels,
            int labelBound, List<String> classNames) {
        this.name = name;
        this.size = size;
        this.count = count;
        this.images = images;
        this.labels = labels;
        this.labelBound = labelBound;
        this.classNames = classNames;
    }

    /**
     * Reads an images file ({@code *-images-idx3-ubyte}) and, unless {@code labels} is null, its
     * labels file ({@code *-labels-idx1-ubyte}); gzip is recognised by its magic bytes, not by the
     * file name.
     *
     * @throws IOException if a file is missing, unreadable, or not a consistent IDX file; the
     *     message names the file and what was expected
     */
    public static IdxDataset open(Path images, Path labels) throws IOException {
        given("IDX images file", images);
        byte[] imageBytes = readFile(images, "images");
        byte[] labelBytes = labels == null ? null : readFile(labels, "labels");
        return parse(imageBytes, fileName(images), labelBytes, labels == null ? null : fileName(labels));
    }

    /**
     * Reads IDX images and, unless {@code labels} is null, labels from streams, gzipped or not;
     * {@code name} names the images in messages and in {@link #describe()}. The streams are read
     * to the end and not closed.
     */
    public static IdxDataset read(InputStream images, InputStream labels, String name) throws IOException {
        given("IDX images stream", images);
        given("IDX name", name);
        byte[] imageBytes = gunzipIfGzipped(images.readAllBytes(), name);
        byte[] labelBytes = labels == null ? null : gunzipIfGzipped(labels.readAllBytes(), name + " labels");
        return parse(imageBytes, name, labelBytes, name + " labels");
    }

    /**
     * This dataset with names for its classes, e.g. Fashion-MNIST's "T-shirt/top", "Trouser", ...;
     * every label must have a name.
     */
    public IdxDataset withClassNames(List<String> names) {
        given("class names", names);
        check(labels != null, "%s has no labels to name", name);
        check(names.size() >= labelBound,
                "%d class names given, but the labels of %s go up to %d", names.size(), name, labelBound - 1);
        return new IdxDataset(name, size, count, images, labels, labelBound, List.copyOf(names));
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public FloatImage read(int index) {
        Objects.checkIndex(index, count);
        int values = size.values();
        float[] pixels = new float[values];
        int offset = IMAGES_HEADER + index * values;
        for (int i = 0; i < values; i++) {
            pixels[i] = UnitBytes.toUnit(images[offset + i]);
        }
        return new FloatImage(size, pixels);
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, count);
        return labels == null ? -1 : labels[LABELS_HEADER + index] & 0xFF;
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return Optional.of(size);
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public String describe() {
        return "IDX " + DataChecks.count(count, "image") + " " + size + " from " + name;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    private static IdxDataset parse(byte[] images, String imagesName, byte[] labels, String labelsName)
            throws IOException {
        // The magic number first: a labels file passed for images is shorter than an images header.
        checkMagic(images, IMAGES_MAGIC, imagesName, "images (unsigned bytes, 3 dimensions)");
        ByteBuffer header = headerOf(images, IMAGES_HEADER, imagesName, "images");
        int count = header.getInt();
        int rows = header.getInt();
        int columns = header.getInt();
        require(count >= 0, "%s header gives %d images; the count cannot be negative", imagesName, count);
        require(rows >= 1 && columns >= 1,
                "%s header gives images of %dx%d; both sides must be at least 1", imagesName, rows, columns);
        require((long) rows * columns <= Integer.MAX_VALUE,
                "%s header gives images of %dx%d, more pixels than one image can hold (2^31 - 1)", imagesName, rows,
                columns);
        long promised = (long) count * rows * columns;
        require(images.length - IMAGES_HEADER == promised,
                "%s holds %d bytes of pixel data but the header promises %d (%d images of %dx%d)",
                imagesName, images.length - IMAGES_HEADER, promised, count, rows, columns);
        int labelBound = 0;
        if (labels != null) {
            checkMagic(labels, LABELS_MAGIC, labelsName, "labels (unsigned bytes, 1 dimension)");
            ByteBuffer labelHeader = headerOf(labels, LABELS_HEADER, labelsName, "labels");
            int labelCount = labelHeader.getInt();
            require(labels.length - LABELS_HEADER == (long) labelCount,
                    "%s holds %d bytes of labels but the header promises %d",
                    labelsName, labels.length - LABELS_HEADER, labelCount);
            require(labelCount == count,
                    "%s has %d labels but %s has %d images", labelsName, labelCount, imagesName, count);
            for (int i = LABELS_HEADER; i < labels.length; i++) {
                labelBound = Math.max(labelBound, (labels[i] & 0xFF) + 1);
            }
        }
        return new IdxDataset(imagesName, new ImageSize(1, rows, columns), count, images, labels,
                labelBound, List.of());
    }

    /** The header's fields after the magic number, big-endian. */
    private static ByteBuffer headerOf(byte[] bytes, int headerLength, String name, String kind)
            throws IOException {
        require(bytes.length >= headerLength,
                "%s holds %d bytes, fewer than the %d of an IDX %s header", name, bytes.length, headerLength, kind);
        return ByteBuffer.wrap(bytes, 4, headerLength - 4);
    }

    private static void checkMagic(byte[] bytes, int expected, String name, String kind) throws IOException {
        require(bytes.length >= 4, "%s holds %d bytes, too few for the magic number of IDX %s", name, bytes.length,
                kind);
        int magic = ByteBuffer.wrap(bytes, 0, 4).getInt();
        String hint = magic == IMAGES_MAGIC ? "; it is an images file"
                : magic == LABELS_MAGIC ? "; it is a labels file"
                : "";
        require(magic == expected, "%s starts with magic number 0x%08x, but IDX %s start with 0x%08x%s",
                name, magic, kind, expected, hint);
    }

    private static byte[] readFile(Path file, String kind) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such IDX " + kind + " file");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0) {
            throw new IOException(file + ": the IDX " + kind + " file is empty (0 bytes); a download or a copy was cut"
                    + " short");
        }
        return gunzipIfGzipped(bytes, fileName(file));
    }

    private static byte[] gunzipIfGzipped(byte[] bytes, String name) throws IOException {
        boolean gzipped = bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b;
        if (!gzipped) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IOException("cannot decompress " + name + ", which starts like a gzip file: "
                    + e.getMessage(), e);
        }
    }

    private static String fileName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    private static void require(boolean condition, String template, Object... args) throws IOException {
        if (!condition) {
            throw new IOException(String.format(Locale.ROOT, template, args));
        }
    }
}
