package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * CIFAR binary files: whatever the bytes, opening gives a dataset whose first and last images and
 * labels read, or an {@link IOException} that says why.
 *
 * <p>An input is a byte choosing the variant (even: CIFAR-10, odd: CIFAR-100), then the file. CI replays
 * the kept inputs ({@code CifarFuzzTestInputs/}); {@code bench/fuzz.sh cifar} fuzzes.
 */
class CifarFuzzTest {

    @TempDir
    static Path folder;

    @FuzzTest
    void readsADatasetOrExplainsWhyNot(byte[] input) throws IOException {
        if (input.length < 1) {
            return;
        }
        CifarDataset.Variant variant = input[0] % 2 == 0 ? CifarDataset.Variant.CIFAR_10 : CifarDataset.Variant.CIFAR_100;
        // a new file each time: the last dataset's mapping keeps the old one, which must not shrink under it
        Files.deleteIfExists(folder.resolve("fuzzed.bin"));
        Path file = Files.write(folder.resolve("fuzzed.bin"), Arrays.copyOfRange(input, 1, input.length));
        CifarDataset dataset;
        try {
            dataset = CifarDataset.open(file, variant);
        } catch (IOException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        if (dataset.size() == 0) {
            return;
        }
        for (int index : new int[] {0, dataset.size() - 1}) {
            assertThat(dataset.read(index).channels()).isEqualTo(3);
            assertThat(dataset.label(index)).isBetween(0, variant.classes() - 1);
        }
    }
}
