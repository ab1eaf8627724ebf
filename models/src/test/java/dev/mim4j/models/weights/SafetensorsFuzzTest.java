package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safetensors files as a download or a damaged disk hands them over: whatever the bytes, opening gives
 * a file whose every tensor reads, or a {@link SafetensorsFormatException} naming the file.
 *
 * <p>CI replays the kept inputs ({@code SafetensorsFuzzTestInputs/}); {@code bench/fuzz.sh safetensors}
 * fuzzes.
 */
class SafetensorsFuzzTest {

    @TempDir
    static Path folder;

    @FuzzTest
    void opensTheFileOrExplainsWhyNot(byte[] content) throws IOException {
        // a new file each time: the last file's mappings keep the old one, which must not shrink under them
        Path file = folder.resolve("fuzzed.safetensors");
        Files.deleteIfExists(file);
        Files.write(file, content);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).isNotNull();
            for (TensorInfo tensor : st.tensors()) {
                assertThat((long) st.data(tensor.name()).remaining()).isEqualTo(tensor.byteLength());
                int elements = switch (tensor.dtype()) {
                    case F32, F16, BF16, F64 -> st.readFloats(tensor.name()).length;
                    default -> st.readLongs(tensor.name()).length;
                };
                assertThat((long) elements).isEqualTo(tensor.elementCount());
            }
        } catch (SafetensorsFormatException refused) {
            assertThat(refused.getMessage()).startsWith(file.toString());
        }
    }
}
