package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.training.data.CifarDataset.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;

class CifarDatasetTest {

    @TempDir
    Path folder;

    @Test
    void readsCifar10RecordsChannelMajor() throws IOException {
        Path file = Files.write(folder.resolve("test_batch.bin"), records(Variant.CIFAR_10, 3, 5, 9));

        CifarDataset dataset = CifarDataset.open(file, Variant.CIFAR_10);

        assertThat(dataset.size()).isEqualTo(3);
        assertThat(dataset.fixedSize()).contains(new ImageSize(3, 32, 32));
        assertThat(List.of(dataset.label(0), dataset.label(1), dataset.label(2))).containsExactly(3, 5, 9);
        FloatImage image = dataset.read(1);
        // record 1 holds 1 + channel + row
        assertThat(image.get(0, 0, 0)).isEqualTo(1 / 255f);
        assertThat(image.get(1, 4, 31)).isEqualTo((1 + 1 + 4) / 255f);
        assertThat(image.get(2, 31, 0)).isEqualTo((1 + 2 + 31) / 255f);
        assertThat(dataset.describe()).isEqualTo("CIFAR-10 3 images 32x32x3 from test_batch.bin");
        assertThat(dataset.classNames()).isEmpty();
    }

    @Test
    void cifar100UsesTheFineLabel() throws IOException {
        Path file = Files.write(folder.resolve("test.bin"), records(Variant.CIFAR_100, 42, 99));

        CifarDataset dataset = CifarDataset.open(file, Variant.CIFAR_100);

        assertThat(List.of(dataset.label(0), dataset.label(1))).containsExactly(42, 99);
        assertThat(dataset.read(1).get(0, 0, 0)).isEqualTo(1 / 255f);
    }

    @Test
    void aFolderMeansItsTrainingBatchesWithTheirClassNames() throws IOException {
        Files.write(folder.resolve("data_batch_2.bin"), records(Variant.CIFAR_10, 2));
        Files.write(folder.resolve("data_batch_1.bin"), records(Variant.CIFAR_10, 1, 1));
        Files.write(folder.resolve("test_batch.bin"), records(Variant.CIFAR_10, 0));
        List<String> names = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                "ship", "truck");
        Files.write(folder.resolve("batches.meta.txt"), names);

        CifarDataset dataset = CifarDataset.open(folder, Variant.CIFAR_10);

        assertThat(dataset.size()).isEqualTo(3);
        assertThat(List.of(dataset.label(0), dataset.label(1), dataset.label(2))).containsExactly(1, 1, 2);
        assertThat(dataset.classNames()).isEqualTo(names);
        assertThat(dataset.describe()).endsWith("from " + folder.getFileName() + " (2 files)");
    }

    @Test
    void aFileOfTheOtherVariantIsCaughtByItsLength() throws IOException {
        Path file = Files.write(folder.resolve("train.bin"), records(Variant.CIFAR_100, 1, 2, 3));

        assertThatThrownBy(() -> CifarDataset.open(file, Variant.CIFAR_10))
                .isInstanceOf(IOException.class)
                .hasMessage(file + " holds 9222 bytes, not a whole number of CIFAR-10 records of 3073 bytes"
                        + " (1 label byte + 3072 pixels); is it a CIFAR-100 file?");
    }

    @Test
    void labelsOutOfRangeAndMissingFilesAreNamed() throws IOException {
        Path file = Files.write(folder.resolve("data_batch_1.bin"), records(Variant.CIFAR_10, 4, 10));

        assertThatThrownBy(() -> CifarDataset.open(file, Variant.CIFAR_10))
                .hasMessage(file + " record 1 has label 10, but CIFAR-10 labels run from 0 to 9");
        assertThatThrownBy(() -> CifarDataset.open(folder, Variant.CIFAR_100))
                .hasMessage(folder + ": no train.bin in this folder; pass a CIFAR-100 .bin file, or the folder of"
                        + " its training files");
    }

    /** One record per label; record r's pixel in channel c and row y holds r + c + y. */
    private static byte[] records(Variant variant, int... labels) {
        int labelBytes = variant == Variant.CIFAR_100 ? 2 : 1;
        byte[] bytes = new byte[labels.length * variant.recordBytes()];
        for (int r = 0; r < labels.length; r++) {
            int at = r * variant.recordBytes();
            bytes[at] = (byte) (labels[r] / 5);
            bytes[at + labelBytes - 1] = (byte) labels[r];
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    bytes[at + labelBytes + c * 1024 + p] = (byte) (r + c + p / 32);
                }
            }
        }
        return bytes;
    }
}
