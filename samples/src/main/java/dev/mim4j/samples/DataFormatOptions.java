package dev.mim4j.samples;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mim4j.models.image.DecodeLimits;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.CifarDataset;
import dev.mim4j.training.data.IdxDataset;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.ImageFolderDataset;
import dev.mim4j.training.data.NormalizationStats;
import picocli.CommandLine.Option;

/** How image data is read and prepared, shared by every command that reads images. */
final class DataFormatOptions {

    static final String DEMO = "demo";

    @Option(names = "--format", defaultValue = "auto", description = "auto, idx, folder, cifar10 or cifar100"
            + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--image-size", defaultValue = "224", description = "Height and width images of a folder are"
            + " cropped to (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "3", description = "Channels images of a folder are converted to"
            + " (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--normalize", defaultValue = "auto", description = "imagenet, dataset (statistics of a sample of"
            + " the data) or auto: ImageNet's for 3-channel data, the dataset's otherwise; a checkpoint's own"
            + " normalisation overrides it where one is used (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--max-image-pixels", defaultValue = "89478485", description = "Images of a folder with more"
            + " pixels (width x height, read from the header before decoding) are bad images (default:"
            + " ${DEFAULT-VALUE}, PIL's decompression-bomb threshold).")
    long maxImagePixels;

    @Option(names = "--max-image-bytes", defaultValue = "67108864", description = "Image files of a folder larger"
            + " than this are bad images (default: ${DEFAULT-VALUE}, 64 MiB).")
    long maxImageBytes;

    @Option(names = "--bad-images", defaultValue = "skip", description = "skip (count and warn) or fail (stop with the"
            + " file's path) on an unreadable image (default: ${DEFAULT-VALUE}).")
    String badImages;

    @Option(names = "--max-bad-images", defaultValue = "1%", paramLabel = "PERCENT", description = "With --bad-images"
            + " skip, in a training run (pretrain, finetune, sweep): the largest share of an epoch's images that may"
            + " be unreadable; one more stops the run with the count and the last one (default: ${DEFAULT-VALUE};"
            + " 100%% for no limit; with fewer than 100 images, 1%% allows none).")
    String maxBadImages;

    /**
     * Reads {@code data}: an IDX file, an image folder, CIFAR binaries, or {@value #DEMO}, the
     * Fashion-MNIST test split shipped with mim4j.
     *
     * @param option the option that named the data, for messages
     */
    ImageDataset read(String data, Path labels, String option) throws IOException {
        if (data.equals(DEMO)) {
            try (InputStream images = resource("t10k-images-idx3-ubyte.gz");
                    InputStream labelStream = resource("t10k-labels-idx1-ubyte.gz")) {
                return IdxDataset.read(images, labelStream, "Fashion-MNIST test split (demo data)");
            }
        }
        Path path = Path.of(data);
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such file or folder (" + option + ")");
        }
        String kind = format.equals("auto") ? guess(path) : format;
        if (kind.equals("idx") && Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + path + " is a folder, but --format idx reads an IDX"
                    + " images file; --format folder (or auto) reads a folder of images");
        }
        if (labels != null && !kind.equals("idx")) {
            throw new IllegalArgumentException(option.replace("data", "labels") + " " + labels + " goes with IDX"
                    + " images, but " + option + " " + path + " is read as " + kind + " data, which holds its own"
                    + " labels (a folder's are its class sub-folders); leave it out");
        }
        return switch (kind) {
            case "idx" -> IdxDataset.open(path, labels);
            case "folder" -> ImageFolderDataset.open(path, channels, policy(), limits());
            case "cifar10" -> CifarDataset.open(path, CifarDataset.Variant.CIFAR_10);
            case "cifar100" -> CifarDataset.open(path, CifarDataset.Variant.CIFAR_100);
            default -> throw new IllegalArgumentException("--format '" + format
                    + "' is not one of auto, idx, folder, cifar10, cifar100");
        };
    }

    /** The size images come out of the transforms at: the dataset's own, or --image-size for folders. */
    ImageSize outputSize(ImageDataset dataset) {
        return dataset.fixedSize().orElse(new ImageSize(dataset.channels(), imageSize, imageSize));
    }

    /** The normalisation --normalize asks for; the dataset's statistics come from up to 2,000 images. */
    Normalize normalization(ImageDataset dataset, long seed) throws IOException {
        String choice = normalize.equals("auto") ? (dataset.channels() == 3 ? "imagenet" : "dataset") : normalize;
        return switch (choice) {
            case "imagenet" -> {
                if (dataset.channels() != 3) {
                    throw new IllegalArgumentException("--normalize imagenet needs 3-channel images; the data has "
                            + dataset.channels());
                }
                yield Normalize.IMAGENET;
            }
            case "dataset" -> NormalizationStats.of(dataset, Math.min(2000, dataset.size()), seed);
            default -> throw new IllegalArgumentException("--normalize '" + normalize
                    + "' is not one of auto, imagenet, dataset");
        };
    }

    DecodeLimits limits() {
        if (maxImagePixels < 1 || maxImageBytes < 1) {
            throw new IllegalArgumentException("--max-image-pixels " + maxImagePixels + " and --max-image-bytes "
                    + maxImageBytes + " must both be at least 1");
        }
        return new DecodeLimits(maxImagePixels, maxImageBytes);
    }

    BadImagePolicy policy() {
        return switch (badImages) {
            case "skip" -> BadImagePolicy.SKIP_AND_COUNT;
            case "fail" -> BadImagePolicy.FAIL;
            default -> throw new IllegalArgumentException("--bad-images '" + badImages + "' is not one of skip, fail");
        };
    }

    /** --max-bad-images as a share of an epoch's images: "1%" (or "1") is 0.01. */
    double maxBadImageShare() {
        String percent = maxBadImages.strip();
        percent = percent.endsWith("%") ? percent.substring(0, percent.length() - 1).strip() : percent;
        BigDecimal value;
        try {
            value = new BigDecimal(percent);
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("--max-bad-images '" + maxBadImages + "' is not a percentage from 0% to"
                    + " 100% (1% lets one image in a hundred of an epoch be unreadable)");
        }
        return value.movePointLeft(2).doubleValue();
    }

    private static String guess(Path path) {
        if (Files.isRegularFile(path)) {
            return path.getFileName().toString().endsWith(".bin") ? "cifar10" : "idx";
        }
        if (Files.exists(path.resolve("data_batch_1.bin"))) {
            return "cifar10";
        }
        if (Files.exists(path.resolve("train.bin"))) {
            return "cifar100";
        }
        return "folder";
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DataFormatOptions.class.getResourceAsStream("demo/" + name);
        if (in == null) {
            throw new IOException("the demo data " + name + " is missing from the classpath");
        }
        return in;
    }
}
