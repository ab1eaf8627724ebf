package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

class IdxDatasetTest {

    /** Three 2x3 images whose pixel bytes count up from 10 * image, labelled 7, 0, 7. */
    private static final byte[] IMAGES = images(3, 2, 3);
    private static final byte[] LABELS = labels(7, 0, 7);

    @Test
    void readsImagesAsGrayFloatsAndTheirLabels() throws IOException {
        IdxDataset dataset = IdxDataset.read(stream(IMAGES), stream(LABELS), "tiny-images-idx3-ubyte");

        assertThat(dataset.size()).isEqualTo(3);
        assertThat(dataset.channels()).isEqualTo(1);
        assertThat(dataset.fixedSize()).contains(new ImageSize(1, 2, 3));
        assertThat(dataset.describe()).isEqualTo("IDX 3 images 2x3x1 from tiny-images-idx3-ubyte");
        assertThat(dataset.classNames()).isEmpty();
        FloatImage second = dataset.read(1);
        assertThat(second.size()).isEqualTo(new ImageSize(1, 2, 3));
        // image 1 holds bytes 10..15, row-major: (y 1, x 2) is the last
        assertThat(second.get(0, 0, 0)).isEqualTo(10 / 255f);
        assertThat(second.get(0, 1, 2)).isEqualTo(15 / 255f);
        assertThat(List.of(dataset.label(0), dataset.label(1), dataset.label(2))).containsExactly(7, 0, 7);
    }

    @Test
    void gzipIsRecognisedByContentWhateverTheFileName(@TempDir Path folder) throws IOException {
        Path images = Files.write(folder.resolve("train-images-idx3-ubyte"), gzip(IMAGES));
        Path labels = Files.write(folder.resolve("train-labels-idx1-ubyte.gz"), LABELS);

        IdxDataset dataset = IdxDataset.open(images, labels);

        assertThat(dataset.read(2).get(0, 0, 1)).isEqualTo(21 / 255f);
        assertThat(dataset.label(1)).isZero();
        assertThat(dataset.describe()).isEqualTo("IDX 3 images 2x3x1 from train-images-idx3-ubyte");
    }

    @Test
    void withoutLabelsEveryLabelIsMinusOne() throws IOException {
        IdxDataset dataset = IdxDataset.read(stream(gzip(IMAGES)), null, "unlabelled");

        assertThat(dataset.label(0)).isEqualTo(-1);
    }

    @Test
    void classNamesAreGivenNotGuessed() throws IOException {
        IdxDataset dataset = IdxDataset.read(stream(IMAGES), stream(LABELS), "tiny");
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h");

        assertThat(dataset.withClassNames(names).classNames()).isEqualTo(names);
        assertThatThrownBy(() -> dataset.withClassNames(List.of("a", "b")))
                .hasMessage("2 class names given, but the labels of tiny go up to 7");
    }

    @Test
    void aLabelsFileInPlaceOfTheImagesIsNamed() {
        assertThatThrownBy(() -> IdxDataset.read(stream(LABELS), null, "t10k-labels-idx1-ubyte"))
                .isInstanceOf(IOException.class)
                .hasMessage("t10k-labels-idx1-ubyte starts with magic number 0x00000801, but IDX images"
                        + " (unsigned bytes, 3 dimensions) start with 0x00000803; it is a labels file");
    }

    @Test
    void truncatedPixelDataSaysHowMuchIsMissing() {
        byte[] truncated = Arrays.copyOf(IMAGES, IMAGES.length - 4);

        assertThatThrownBy(() -> IdxDataset.read(stream(truncated), null, "cut.idx"))
                .isInstanceOf(IOException.class)
                .hasMessage("cut.idx holds 14 bytes of pixel data but the header promises 18 (3 images of 2x3)");
    }

    @Test
    void labelCountMustMatchImageCount() {
        assertThatThrownBy(() -> IdxDataset.read(stream(IMAGES), stream(labels(1, 2)), "tiny"))
                .isInstanceOf(IOException.class)
                .hasMessage("tiny labels has 2 labels but tiny has 3 images");
    }

    @Test
    void aShortOrBrokenFileIsNamed(@TempDir Path folder) throws IOException {
        Path stub = Files.write(folder.resolve("stub.idx"), new byte[] {0, 0, 8, 3, 0, 0});
        Path broken = Files.write(folder.resolve("broken.gz"), Arrays.copyOf(gzip(IMAGES), 20));

        assertThatThrownBy(() -> IdxDataset.open(stub, null))
                .hasMessage("stub.idx holds 6 bytes, fewer than the 16 of an IDX images header");
        assertThatThrownBy(() -> IdxDataset.open(broken, null))
                .hasMessageStartingWith("cannot decompress broken.gz, which starts like a gzip file");
        assertThatThrownBy(() -> IdxDataset.open(folder.resolve("missing"), null))
                .hasMessageEndingWith("missing: no such IDX images file");
    }

    private static byte[] images(int count, int rows, int columns) {
        ByteBuffer bytes = ByteBuffer.allocate(16 + count * rows * columns);
        bytes.putInt(0x00000803).putInt(count).putInt(rows).putInt(columns);
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * columns; p++) {
                bytes.put((byte) (10 * i + p));
            }
        }
        return bytes.array();
    }

    private static byte[] labels(int... labels) {
        ByteBuffer bytes = ByteBuffer.allocate(8 + labels.length);
        bytes.putInt(0x00000801).putInt(labels.length);
        for (int label : labels) {
            bytes.put((byte) label);
        }
        return bytes.array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    private static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }
}
