package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.mim4j.models.image.DataChecks;
import dev.mim4j.models.image.DecodeLimits;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageDecoder;
import dev.mim4j.models.image.ImageFormat;
import dev.mim4j.models.image.ImageSize;

/**
 * Image files in a folder, labelled by sub-folder as torchvision's {@code ImageFolder}:
 * {@code root/<class>/**}, classes in sorted name order, label = position in that order; a root
 * with no sub-folders is a set of unlabelled images (label -1).
 *
 * <p>JPEG (also CMYK and YCCK), PNG, BMP, GIF and TIFF are read, recognised by content, not by
 * extension. Every image is converted to the number of channels given at {@link #open}. EXIF
 * orientation is ignored, as by PIL in torchvision. Files are listed once, at {@code open}, in a
 * fixed order; hidden files (a name starting with '.') are left out, and so are files directly
 * under a root that has class folders. A file that is not an image is found when it is read, like
 * a corrupt one, because looking into a million files at {@code open} would take minutes.
 */
public final class ImageFolderDataset implements ImageDataset {

    private final Path root;
    private final int channels;
    private final BadImagePolicy policy;
    private final DecodeLimits limits;
    private final List<String> classNames;
    private final String[] files;
    private final int[] labels;

    private ImageFolderDataset(Path root, int channels, BadImagePolicy policy, DecodeLimits limits,
            List<String> classNames, String[] files, int[] labels) {
        this.root = root;
        this.channels = channels;
        this.policy = policy;
        this.limits = limits;
        this.classNames = classNames;
        this.files = files;
        this.labels = labels;
    }

    /**
     * Lists the images under {@code root}, to be read with {@code channels} channels (1 for gray,
     * 3 for RGB); {@code policy} is what a loader does by default with a file that does not decode.
     *
     * @throws IOException if {@code root} is not a folder, holds no image or has an empty class
     *     folder; the message names the path
     */
    public static ImageFolderDataset open(Path root, int channels, BadImagePolicy policy) throws IOException {
        return open(root, channels, policy, DecodeLimits.DEFAULT);
    }

    /**
     * As {@link #open(Path, int, BadImagePolicy)}, refusing files larger than {@code limits} as bad
     * images (from the file's size and the image's header, before decoding).
     */
    public static ImageFolderDataset open(Path root, int channels, BadImagePolicy policy, DecodeLimits limits)
            throws IOException {
        given("image folder", root);
        given("bad image policy", policy);
        given("decode limits", limits);
        check(channels == 1 || channels == 3,
                "channels %d must be 1 (grayscale) or 3 (RGB)", channels);
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such image folder");
        }
        if (!Files.isDirectory(root)) {
            throw new IOException("image folder " + root + " is a file, not a directory");
        }
        List<Path> classFolders = listSorted(root, Files::isDirectory);
        List<String> classNames = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (classFolders.isEmpty()) {
            for (Path file : listSorted(root, Files::isRegularFile)) {
                files.add(file.getFileName().toString());
                labels.add(-1);
            }
        } else {
            for (Path folder : classFolders) {
                List<Path> classFiles = walkSorted(folder);
                if (classFiles.isEmpty()) {
                    throw new IOException("class folder " + folder + " holds no files; add "
                            + ImageFormat.ACCEPTED + " images to it or remove it");
                }
                for (Path file : classFiles) {
                    files.add(root.relativize(file).toString());
                    labels.add(classNames.size());
                }
                classNames.add(folder.getFileName().toString());
            }
        }
        if (files.stream().noneMatch(file -> isImage(root.resolve(file)))) {
            throw new IOException("image folder " + root + " holds no images; expected " + ImageFormat.ACCEPTED
                    + " files, either directly in it or in one sub-folder per class");
        }
        // absolute, so that the description (which a checkpoint records) does not depend on how it was typed
        return new ImageFolderDataset(root.toAbsolutePath().normalize(), channels, policy, limits,
                List.copyOf(classNames), files.toArray(String[]::new),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The file of image {@code index}. */
    public Path path(int index) {
        return root.resolve(files[Objects.checkIndex(index, files.length)]);
    }

    @Override
    public String describeItem(int index) {
        return path(index).toString();
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public FloatImage read(int index) throws IOException {
        Path file = path(index);
        try {
            limits.checkFileBytes(Files.size(file)); // before reading it into memory
            return ImageDecoder.decode(Files.readAllBytes(file), channels, limits);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(root)) {
                throw new DataSourceGoneException("the image folder " + root + " is gone (moved or deleted during the"
                        + " run), so no image of it can be read; put it back, and resume");
            }
            throw new IOException("cannot read image " + file + ": it is missing (moved or deleted since the folder"
                    + " was listed)", e);
        } catch (IOException e) {
            throw new IOException("cannot read image " + file + ": " + reason(e), e);
        }
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    @Override
    public Optional<ImageSize> fixedSize() {
        return Optional.empty();
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public String describe() {
        String classes = classNames.isEmpty() ? "unlabelled" : "in " + DataChecks.count(classNames.size(), "class");
        return "image folder " + DataChecks.count(files.length, "image") + " " + classes + " from " + root
                + ", read as " + DataChecks.count(channels, "channel");
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public BadImagePolicy badImagePolicy() {
        return policy;
    }

    private static boolean isImage(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return ImageFormat.of(in.readNBytes(8)).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> listSorted(Path folder, Predicate<Path> kind) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(path -> !isHidden(path) && kind.test(path)).sorted().toList();
        }
    }

    /**
     * The files below {@code folder}, which may be a link to a folder elsewhere (one class's images kept on
     * another disk, say); links below it are taken as files when they point at files, and not followed into
     * folders, so a link loop cannot make the walk endless.
     */
    private static List<Path> walkSorted(Path folder) throws IOException {
        Path real = folder.toRealPath();
        try (Stream<Path> entries = Files.walk(real)) {
            return entries
                    .filter(path -> Files.isRegularFile(path) && !isHiddenBelow(real, path))
                    .map(path -> folder.resolve(real.relativize(path)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean isHidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    private static boolean isHiddenBelow(Path folder, Path path) {
        for (Path part : folder.relativize(path)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The message of {@code e}, or its class when it has none (an {@code EOFException}, say). */
    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
