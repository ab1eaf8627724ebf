package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.mim4j.models.image.DataChecks;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.UnitBytes;

/**
 * CIFAR-10 or CIFAR-100 in the binary version ({@code cifar-10-binary.tar.gz}): records of label
 * bytes and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, rows of 32), the files mapped into
 * memory rather than copied onto the heap.
 */
public final class CifarDataset implements ImageDataset {

    private static final ImageSize SIZE = new ImageSize(3, 32, 32);

    /** The two layouts of a record. */
    public enum Variant {
        /** 1 label byte, 10 classes; training files {@code data_batch_1.bin} to {@code data_batch_5.bin}. */
        CIFAR_10("CIFAR-10", 1, 10, "data_batch_*.bin", "batches.meta.txt"),
        /** 2 label bytes, coarse then fine, of which the fine one (100 classes) is used; {@code train.bin}. */
        CIFAR_100("CIFAR-100", 2, 100, "train.bin", "fine_label_names.txt");

        private final String title;
        private final int labelBytes;
        private final int classes;
        private final String trainingFiles;
        private final String classNamesFile;

        Variant(String title, int labelBytes, int classes, String trainingFiles, String classNamesFile) {
            this.title = title;
            this.labelBytes = labelBytes;
            this.classes = classes;
            this.trainingFiles = trainingFiles;
            this.classNamesFile = classNamesFile;
        }

        /** Bytes of one record: the label bytes and 3072 pixel bytes. */
        public int recordBytes() {
            return labelBytes + SIZE.values();
        }

        /** Number of classes of the label that is used. */
        public int classes() {
            return classes;
        }

        @Override
        public String toString() {
            return title;
        }
    }

    private final Variant variant;
    private final String source;
    private final ByteBuffer[] files;
    private final int[] firstRecord;
    private final int count;
    private final List<String> classNames;

    private CifarDataset(Variant variant, String source, ByteBuffer[] files, int[] firstRecord, int count,
            List<String> classNames) {
        this.variant = variant;
        this.source = source;
        this.files = files;
        this.firstRecord = firstRecord;
        this.count = count;
        this.classNames = classNames;
    }

    /**
     * Opens one {@code .bin} file (such as {@code test_batch.bin} or {@code test.bin}), or a folder
     * of the training files ({@code data_batch_*.bin} for CIFAR-10, {@code train.bin} for
     * CIFAR-100). Class names come from {@code batches.meta.txt} or {@code fine_label_names.txt}
     * next to the files, if there is one.
     *
     * @throws IOException if a file is missing or not a whole number of records with valid labels;
     *     the message names the file and the sizes
     */
    public static CifarDataset open(Path fileOrFolder, Variant variant) throws IOException {
        given("CIFAR file or folder", fileOrFolder);
        given("CIFAR variant", variant);
        if (!Files.isDirectory(fileOrFolder)) {
            return open(List.of(fileOrFolder), variant, fileName(fileOrFolder));
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fileOrFolder, variant.trainingFiles)) {
            entries.forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new NoSuchFileException(fileOrFolder.toString(), null, "no " + variant.trainingFiles
                    + " in this folder; pass a " + variant + " .bin file, or the folder of its training files");
        }
        files.sort(null);
        return open(files, variant, fileName(fileOrFolder) + " (" + DataChecks.count(files.size(), "file") + ")");
    }

    /** Opens the records of several {@code .bin} files, in the order given, as one dataset. */
    public static CifarDataset open(List<Path> files, Variant variant) throws IOException {
        given("CIFAR files", files);
        given("CIFAR variant", variant);
        check(!files.isEmpty(), "no CIFAR files given");
        String source = files.size() == 1 ? fileName(files.get(0)) : DataChecks.count(files.size(), "file");
        return open(files, variant, source);
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public FloatImage read(int index) {
        ByteBuffer file = fileOf(index);
        int offset = recordOffset(index) + variant.labelBytes;
        byte[] bytes = new byte[SIZE.values()];
        file.get(offset, bytes);
        float[] pixels = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            pixels[i] = UnitBytes.toUnit(bytes[i]);
        }
        return new FloatImage(SIZE, pixels);
    }

    @Override
    public int label(int index) {
        return fileOf(index).get(recordOffset(index) + variant.labelBytes - 1) & 0xFF;
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return Optional.of(SIZE);
    }

    @Override
    public int channels() {
        return SIZE.channels();
    }

    @Override
    public String describe() {
        return variant + " " + DataChecks.count(count, "image") + " " + SIZE + " from " + source;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    private ByteBuffer fileOf(int index) {
        return files[fileIndex(Objects.checkIndex(index, count))];
    }

    private int recordOffset(int index) {
        return (index - firstRecord[fileIndex(index)]) * variant.recordBytes();
    }

    private int fileIndex(int index) {
        int found = Arrays.binarySearch(firstRecord, index);
        // Several files can start at the same record only if some are empty, which map() refuses.
        return found >= 0 ? found : -found - 2;
    }

    private static CifarDataset open(List<Path> paths, Variant variant, String source) throws IOException {
        ByteBuffer[] files = new ByteBuffer[paths.size()];
        int[] firstRecord = new int[paths.size()];
        long count = 0;
        for (int i = 0; i < paths.size(); i++) {
            firstRecord[i] = (int) count;
            files[i] = map(paths.get(i), variant);
            checkLabels(files[i], paths.get(i), variant);
            count += files[i].capacity() / variant.recordBytes();
            check(count <= Integer.MAX_VALUE, "the CIFAR files hold more than 2^31 - 1 records");
        }
        Path folder = paths.get(0).toAbsolutePath().getParent();
        List<String> classNames = folder == null
                ? List.of()
                : classNames(folder.resolve(variant.classNamesFile), variant);
        return new CifarDataset(variant, source, files, firstRecord, (int) count, classNames);
    }

    private static ByteBuffer map(Path file, Variant variant) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such " + variant + " file");
        }
        long length = Files.size(file);
        int record = variant.recordBytes();
        String hint = variant == Variant.CIFAR_10 && length % Variant.CIFAR_100.recordBytes() == 0
                ? "; is it a CIFAR-100 file?"
                : variant == Variant.CIFAR_100 && length % Variant.CIFAR_10.recordBytes() == 0
                ? "; is it a CIFAR-10 file?"
                : "";
        if (length == 0 || length % record != 0) {
            throw new IOException(String.format(Locale.ROOT,
                    "%s holds %d bytes, not a whole number of %s records of %d bytes (%d label %s + 3072 pixels)%s",
                    file, length, variant, record, variant.labelBytes,
                    variant.labelBytes == 1 ? "byte" : "bytes", hint));
        }
        if (length > Integer.MAX_VALUE) {
            throw new IOException(file + " holds " + length + " bytes; a CIFAR file must hold less than 2 GiB");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
        }
    }

    private static void checkLabels(ByteBuffer file, Path path, Variant variant) throws IOException {
        int records = file.capacity() / variant.recordBytes();
        for (int r = 0; r < records; r++) {
            int label = file.get(r * variant.recordBytes() + variant.labelBytes - 1) & 0xFF;
            if (label >= variant.classes) {
                throw new IOException(String.format(Locale.ROOT,
                        "%s record %d has label %d, but %s labels run from 0 to %d",
                        path, r, label, variant, variant.classes - 1));
            }
        }
    }

    private static List<String> classNames(Path file, Variant variant) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> names = Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != variant.classes) {
            throw new IOException(String.format(Locale.ROOT,
                    "%s names %d classes, but %s has %d", file, names.size(), variant, variant.classes));
        }
        return names;
    }

    private static String fileName(Path file) {
        Path name = file.toAbsolutePath().normalize().getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
