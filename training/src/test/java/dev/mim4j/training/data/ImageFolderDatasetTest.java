package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

class ImageFolderDatasetTest {

    private static final int ORANGE = 0xFF8000;

    @TempDir
    Path root;

    @Test
    void subFoldersAreClassesInSortedOrder() throws IOException {
        write("dog/b.png", TestImages.encode(TestImages.solid(4, 3, ORANGE), "png"));
        write("cat/z.bmp", TestImages.encode(TestImages.solid(4, 3, ORANGE), "bmp"));
        write("cat/a.jpg", TestImages.jpeg(TestImages.solid(4, 3, ORANGE)));
        write("cat/.DS_Store", new byte[] {0, 0, 0, 1});
        write("README.txt", "not an image, and not in a class".getBytes());

        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL);

        assertThat(dataset.classNames()).containsExactly("cat", "dog");
        assertThat(dataset.size()).isEqualTo(3);
        assertThat(List.of(dataset.path(0), dataset.path(1), dataset.path(2)))
                .containsExactly(root.resolve("cat/a.jpg"), root.resolve("cat/z.bmp"), root.resolve("dog/b.png"));
        assertThat(List.of(dataset.label(0), dataset.label(1), dataset.label(2))).containsExactly(0, 0, 1);
        assertThat(dataset.fixedSize()).isEmpty();
        assertThat(dataset.badImagePolicy()).isEqualTo(BadImagePolicy.FAIL);
        assertThat(dataset.describe())
                .isEqualTo("image folder 3 images in 2 classes from " + root + ", read as 3 channels");
    }

    @Test
    void jpegPngBmpAndGifDecodeToTheSameColour() throws IOException {
        write("a.jpg", TestImages.jpeg(TestImages.solid(5, 4, ORANGE)));
        write("b.png", TestImages.encode(TestImages.solid(5, 4, ORANGE), "png"));
        write("c.bmp", TestImages.encode(TestImages.solid(5, 4, ORANGE), "bmp"));
        write("d.gif", TestImages.encode(TestImages.solid(5, 4, ORANGE), "gif"));

        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL);

        assertThat(dataset.classNames()).isEmpty();
        for (int i = 0; i < dataset.size(); i++) {
            assertThat(dataset.label(i)).isEqualTo(-1);
            assertOrange(dataset.read(i), 0.02f);
        }
    }

    @Test
    void theFormatComesFromTheContentNotTheName() throws IOException {
        write("photo.jpg", TestImages.encode(TestImages.solid(5, 4, ORANGE), "png"));

        FloatImage image = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL).read(0);

        assertOrange(image, 0f);
    }

    @Test
    void cmykAndYcckJpegsDecodeToRgb() throws IOException {
        // Orange as ink: cyan 0, magenta 50%, yellow 100%, black 0. Photoshop stores CMYK inverted
        // (255 = no ink) under an Adobe marker; a YCCK file holds YCbCr of the ink amounts.
        write("adobe-cmyk.jpg", TestImages.fourChannelJpeg(8, 8, new int[] {255, 128, 0, 255}, 0));
        write("adobe-ycck.jpg", TestImages.fourChannelJpeg(8, 8, ycck(0, 127, 255, 255), 2));
        write("plain-cmyk.jpg", TestImages.fourChannelJpeg(8, 8, new int[] {0, 127, 255, 0}, -1));

        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL);

        for (int i = 0; i < dataset.size(); i++) {
            assertOrange(dataset.read(i), 0.02f);
        }
    }

    @Test
    void grayImagesBecomeRgbByReplicationAndColourBecomesGrayByLuma() throws IOException {
        write("gray.png", TestImages.encode(TestImages.gray(3, 2, 51), "png"));
        write("orange.png", TestImages.encode(TestImages.solid(3, 2, ORANGE), "png"));

        FloatImage grayAsRgb = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL).read(0);
        ImageFolderDataset asGray = ImageFolderDataset.open(root, 1, BadImagePolicy.FAIL);

        assertThat(grayAsRgb.size()).isEqualTo(new ImageSize(3, 2, 3));
        assertThat(grayAsRgb.pixels()).containsOnly(0.2f);
        assertThat(asGray.read(0).pixels()).containsOnly(0.2f);
        // ITU-R 601: 0.299 * 1 + 0.587 * 128/255 + 0.114 * 0
        assertThat(asGray.read(1).get(0, 1, 2)).isCloseTo(0.299f + 0.587f * 128 / 255, within(1e-6f));
    }

    @Test
    void aCorruptFileFailsOnReadWithItsPath() throws IOException {
        byte[] png = TestImages.encode(TestImages.solid(16, 16, ORANGE), "png");
        write("good.png", png);
        write("truncated.png", Arrays.copyOf(png, 60));
        write("notes.png", "just text".getBytes());

        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.SKIP_AND_COUNT);

        assertThat(dataset.size()).isEqualTo(3);
        assertThat(dataset.badImagePolicy()).isEqualTo(BadImagePolicy.SKIP_AND_COUNT);
        assertThatThrownBy(() -> dataset.read(1))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read image " + root.resolve("notes.png") + ": not a JPEG, PNG, BMP, GIF"
                        + " or TIFF file by its content (it starts with 6a 75 73 74 20 74 65 78)");
        assertThatThrownBy(() -> dataset.read(2))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read image " + root.resolve("truncated.png") + ": ");
    }

    @Test
    void aFolderWithoutImagesNamesThePathAndTheFormats() throws IOException {
        assertThatThrownBy(() -> ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL))
                .isInstanceOf(IOException.class)
                .hasMessage("image folder " + root + " holds no images; expected JPEG, PNG, BMP, GIF or TIFF"
                        + " files, either directly in it or in one sub-folder per class");

        write("notes.txt", "text".getBytes());
        assertThatThrownBy(() -> ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL))
                .hasMessageStartingWith("image folder " + root + " holds no images");
    }

    @Test
    void anEmptyClassFolderIsAnError() throws IOException {
        write("cat/a.png", TestImages.encode(TestImages.solid(2, 2, ORANGE), "png"));
        Files.createDirectories(root.resolve("dog"));

        assertThatThrownBy(() -> ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL))
                .hasMessage("class folder " + root.resolve("dog") + " holds no files; add JPEG, PNG, BMP, GIF"
                        + " or TIFF images to it or remove it");
    }

    @Test
    void aClassFolderThatIsALinkIsReadThroughIt(@TempDir Path elsewhere) throws IOException {
        write("cat/a.png", TestImages.encode(TestImages.solid(2, 2, ORANGE), "png"));
        Files.write(elsewhere.resolve("b.png"), TestImages.encode(TestImages.solid(2, 2, ORANGE), "png"));
        Files.write(elsewhere.resolve("c.png"), TestImages.encode(TestImages.solid(2, 2, ORANGE), "png"));
        Files.createSymbolicLink(root.resolve("dog"), elsewhere);

        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL);

        assertThat(dataset.classNames()).containsExactly("cat", "dog");
        assertThat(List.of(dataset.path(1), dataset.path(2)))
                .containsExactly(root.resolve("dog/b.png"), root.resolve("dog/c.png"));
        assertOrange(dataset.read(2), 0.01f);
    }

    @Test
    void aMissingImageSaysSoAndAFolderGoneStopsEveryRead(@TempDir Path parent) throws IOException {
        Path folder = Files.createDirectories(parent.resolve("images"));
        for (String name : List.of("a.png", "b.png")) {
            Files.write(folder.resolve(name), TestImages.encode(TestImages.solid(2, 2, ORANGE), "png"));
        }
        ImageFolderDataset dataset = ImageFolderDataset.open(folder, 3, BadImagePolicy.SKIP_AND_COUNT);

        Files.delete(folder.resolve("a.png"));
        assertThatThrownBy(() -> dataset.read(0)).isNotInstanceOf(DataSourceGoneException.class)
                .hasMessage("cannot read image " + folder.resolve("a.png") + ": it is missing (moved or deleted since"
                        + " the folder was listed)");
        Files.move(folder, parent.resolve("renamed"));
        assertThatThrownBy(() -> dataset.read(1)).isInstanceOf(DataSourceGoneException.class)
                .hasMessage("the image folder " + folder + " is gone (moved or deleted during the run), so no image"
                        + " of it can be read; put it back, and resume");
    }

    @Test
    void onlyGrayOrRgbAndAnExistingFolder() {
        assertThatThrownBy(() -> ImageFolderDataset.open(root, 4, BadImagePolicy.FAIL))
                .hasMessage("channels 4 must be 1 (grayscale) or 3 (RGB)");
        assertThatThrownBy(() -> ImageFolderDataset.open(root.resolve("nowhere"), 3, BadImagePolicy.FAIL))
                .hasMessage(root.resolve("nowhere") + ": no such image folder");
    }

    private void write(String file, byte[] content) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.write(path, content);
    }

    /** YCbCr (JFIF) of the ink amounts, with black stored inverted, as an Adobe YCCK JPEG holds them. */
    private static int[] ycck(int cyan, int magenta, int yellow, int storedBlack) {
        double y = 0.299 * cyan + 0.587 * magenta + 0.114 * yellow;
        double cb = 128 - 0.168736 * cyan - 0.331264 * magenta + 0.5 * yellow;
        double cr = 128 + 0.5 * cyan - 0.418688 * magenta - 0.081312 * yellow;
        return new int[] {(int) Math.round(y), (int) Math.round(cb), (int) Math.round(cr), storedBlack};
    }

    private static void assertOrange(FloatImage image, float tolerance) {
        assertThat(image.channels()).isEqualTo(3);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                assertThat(image.get(0, y, x)).isCloseTo(1f, within(tolerance));
                assertThat(image.get(1, y, x)).isCloseTo(128 / 255f, within(tolerance));
                assertThat(image.get(2, y, x)).isCloseTo(0f, within(tolerance));
            }
        }
    }
}
