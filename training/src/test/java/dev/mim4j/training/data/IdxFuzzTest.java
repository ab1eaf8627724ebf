package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * IDX images and labels files, gzipped or not: whatever the bytes, reading gives a dataset whose every
 * image and label reads, or an {@link IOException} that says why.
 *
 * <p>An input is a flag byte (bit 0: there is a labels file), the images file's length as 4 bytes big
 * endian, the images file, then the labels file. CI replays the kept inputs ({@code IdxFuzzTestInputs/});
 * {@code bench/fuzz.sh idx} fuzzes.
 */
class IdxFuzzTest {

    @FuzzTest
    void readsADatasetOrExplainsWhyNot(byte[] input) throws IOException {
        if (input.length < 5) {
            return;
        }
        boolean withLabels = (input[0] & 1) == 1;
        int length = (int) Math.min(input.length - 5L,
                ((input[1] & 0xffL) << 24 | (input[2] & 0xff) << 16 | (input[3] & 0xff) << 8 | input[4] & 0xff));
        byte[] images = Arrays.copyOfRange(input, 5, 5 + length);
        byte[] labels = Arrays.copyOfRange(input, 5 + length, input.length);
        IdxDataset dataset;
        try {
            dataset = IdxDataset.read(new ByteArrayInputStream(images),
                    withLabels ? new ByteArrayInputStream(labels) : null, "fuzzed");
        } catch (IOException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        if (dataset.size() == 0) {
            return;
        }
        for (int index : new int[] {0, dataset.size() - 1}) {
            assertThat(dataset.read(index).channels()).isEqualTo(dataset.channels());
            assertThat(dataset.label(index)).isGreaterThanOrEqualTo(-1);
        }
    }
}
