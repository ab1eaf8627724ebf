package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;

import dev.mim4j.models.image.DecodeLimits;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files made to hurt a reader: bombs, oversize files, truncated images, an image the heap cannot hold. */
class HostileImagesTest {

    @TempDir
    Path root;

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderWithItsPath() throws IOException {
        Path bomb = Files.write(root.resolve("bomb.png"), pngHeader(25_000, 25_000));
        Files.write(root.resolve("good.png"), TestImages.encode(TestImages.solid(8, 8, 0x336699), "png"));
        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.SKIP_AND_COUNT);

        assertThatThrownBy(() -> dataset.read(0))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read image " + bomb + ": its header gives 25,000 x 25,000 = 625,000,000 pixels,"
                        + " more than the limit of 89,478,485");
        assertThat(dataset.read(1).width()).isEqualTo(8);
    }

    @Test
    void thePixelAndByteLimitsCanBeSet() throws IOException {
        byte[] png = TestImages.encode(TestImages.solid(40, 30, 0x336699), "png");
        Path file = Files.write(root.resolve("a.png"), png);

        ImageFolderDataset fewPixels = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL,
                DecodeLimits.DEFAULT.withMaxPixels(1000));
        ImageFolderDataset fewBytes = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL,
                DecodeLimits.DEFAULT.withMaxFileBytes(png.length - 1));

        assertThatThrownBy(() -> fewPixels.read(0)).hasMessage("cannot read image " + file
                + ": its header gives 40 x 30 = 1,200 pixels, more than the limit of 1,000");
        assertThatThrownBy(() -> fewBytes.read(0)).hasMessage("cannot read image " + file + ": the file has "
                + png.length + " bytes, more than the limit of " + (png.length - 1));
        assertThatThrownBy(() -> new DecodeLimits(0, 1)).hasMessage("maximum pixels 0 must be at least 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp"})
    void aTruncatedImageIsRefusedNotFilledIn(String format) throws IOException {
        byte[] whole = "jpeg".equals(format) ? TestImages.jpeg(noise(64, 48)) : TestImages.encode(noise(64, 48), format);
        Path file = Files.write(root.resolve("cut." + format), Arrays.copyOf(whole, whole.length * 2 / 3));
        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL);

        assertThatThrownBy(() -> dataset.read(0))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read image " + file + ": ");
    }

    @Test
    void aTruncatedJpegIsNotFilledWithGrey() throws IOException {
        byte[] whole = TestImages.jpeg(noise(64, 48));
        Path file = Files.write(root.resolve("cut.jpg"), Arrays.copyOf(whole, whole.length / 2));
        ImageFolderDataset dataset = ImageFolderDataset.open(root, 3, BadImagePolicy.FAIL);

        assertThatThrownBy(() -> dataset.read(0)).hasMessage("cannot read image " + file + ": the JPEG decoder found"
                + " it damaged (Truncated File - Missing EOI marker; Corrupt JPEG data: premature end of data segment): the"
                + " file is truncated or corrupt");
    }

    @Test
    void anImageTheHeapCannotHoldIsSkippedUnderSkipWithItsName() {
        ImageDataset dataset = new IndexedDataset(12, new ImageSize(1, 2, 2), Set.of(), BadImagePolicy.SKIP_AND_COUNT) {
            @Override
            public FloatImage read(int index) throws IOException {
                if (index == 5) {
                    throw new OutOfMemoryError("Java heap space");
                }
                return super.read(index);
            }
        };

        try (BatchLoader loader = BatchLoader.builder(dataset, (image, random) -> image, new ImageSize(1, 2, 2))
                .batchSize(4).seed(1).epoch(0).workers(2).maxBadImages(0.1).build()) {
            int images = 0;
            while (loader.hasNext()) {
                Batch batch = loader.next();
                images += batch.size();
                loader.recycle(batch);
            }

            assertThat(images).isEqualTo(8);
            assertThat(loader.skippedImages()).isEqualTo(1);
        }
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0xFFFFFF));
            }
        }
        return image;
    }

    /** A PNG signature and header chunk claiming {@code width x height} RGB pixels, and no pixel data. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(chunk);
        header.writeBytes("IHDR");
        header.writeInt(width);
        header.writeInt(height);
        header.write(new byte[] {8, 2, 0, 0, 0});
        byte[] body = chunk.toByteArray();
        out.writeInt(body.length - 4);
        out.write(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
