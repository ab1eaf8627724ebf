package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .pth} files (a zip of a pickle and its storages, as {@code torch.save} writes them): whatever the
 * bytes, reading gives named tensors that each read, or an {@link IOException} naming the file.
 *
 * <p>CI replays the kept inputs ({@code PthFuzzTestInputs/}); {@code bench/fuzz.sh pth} fuzzes.
 */
class PthFuzzTest {

    @TempDir
    static Path folder;

    @FuzzTest
    void readsTheWeightsOrExplainsWhyNot(byte[] content) throws IOException {
        Path file = Files.write(folder.resolve("fuzzed.pth"), content);
        try (PthWeights weights = PthWeights.read(file); PointerScope scope = new PointerScope()) {
            for (String name : weights.names()) {
                assertThat(weights.read(name).sizes().vec().get()).isEqualTo(weights.shape(name));
            }
        } catch (IOException refused) {
            assertThat(refused.getMessage()).startsWith(file.toString());
        }
    }
}
