package dev.mim4j.models.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.LongStream;

import dev.mim4j.models.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads the files the Python reference wrote, and rewrites them byte for byte. */
class SafetensorsGoldenTest {

    @TempDir
    Path dir;

    @Test
    void readsTheMaeWeights() throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(Golden.path("mae_tiny_normpix", "weights.safetensors"))) {
            assertThat(file.tensors()).hasSize(50);
            assertThat(file.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("source", "official mae"));

            TensorInfo patch = file.info("patch_embed.proj.weight").orElseThrow();
            assertThat(patch.dtype()).isEqualTo(DType.F32);
            assertThat(patch.shape()).containsExactly(64, 3, 4, 4);
            assertThat(patch.byteLength()).isEqualTo(64 * 3 * 4 * 4 * 4);
            // Values as numpy reads them from the same bytes.
            assertThat(file.readFloats("patch_embed.proj.weight")).startsWith(
                    (float) -0.22083918750286102, (float) 0.09627386927604675, (float) 0.1685672551393509);

            TensorInfo pos = file.info("pos_embed").orElseThrow();
            assertThat(pos.shape()).containsExactly(1, 65, 64);
            // Fixed sin-cos embedding: the class token's row is all zeros.
            assertThat(file.readFloats("pos_embed")).hasSize(65 * 64).startsWith(new float[64]);

            assertThat(file.info("cls_token").orElseThrow().shape()).containsExactly(1, 1, 64);
            assertThat(file.tensors()).allSatisfy(info -> assertThat(info.dtype()).isEqualTo(DType.F32));
            assertThat(file.tensors().get(0).name()).isEqualTo("blocks.0.attn.proj.bias");
        }
    }

    @Test
    void readsTheIntegerOutputsOfTheMaeRun() throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(Golden.path("mae_tiny_normpix", "io.safetensors"))) {
            TensorInfo ids = file.info("output.ids_restore").orElseThrow();
            assertThat(ids.dtype()).isEqualTo(DType.I64);
            assertThat(ids.shape()).containsExactly(2, 64);
            long[] values = file.readLongs("output.ids_restore");
            assertThat(values).startsWith(52, 36, 55, 60, 49, 20, 18, 13);
            // Each row restores a shuffle, so it is a permutation of 0..63.
            for (int row = 0; row < 2; row++) {
                long[] sorted = LongStream.of(values).skip(row * 64L).limit(64).sorted().toArray();
                assertThat(sorted).isEqualTo(LongStream.range(0, 64).toArray());
            }
            assertThat(file.readFloats("output.loss")).containsExactly((float) 1.760015845298767);
            assertThat(file.metadata()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "mae_tiny_normpix, weights.safetensors",
        "mae_tiny_normpix, io.safetensors",
        "simmim_vit_tiny, weights.safetensors",
        "simmim_vit_tiny, io.safetensors",
    })
    void rewritingAGoldenFileReproducesItsBytes(String caseName, String fileName) throws IOException {
        Path original = Golden.path(caseName, fileName);
        Path copy = dir.resolve(fileName);
        try (SafetensorsFile file = SafetensorsFile.open(original)) {
            SafetensorsWriter writer = new SafetensorsWriter();
            file.metadata().forEach(writer::metadata);
            for (TensorInfo info : file.tensors()) {
                writer.add(info.name(), info.dtype(), info.shape(), TensorSource.of(file.data(info.name())));
            }
            writer.write(copy);
        }
        assertThat(Files.mismatch(original, copy)).isEqualTo(-1L);
    }
}
