package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mim4j.models.weights.SafetensorsWriter;
import dev.mim4j.training.finetune.FineTuneState;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata of a damaged or forged checkpoint: whatever its entries hold, every reader of a
 * checkpoint's run gives a value or an {@link IOException} that names the file.
 *
 * <p>An input is UTF-8 text whose parts, split at NUL characters, are the entries in the order of
 * {@link #KEYS} (an empty part leaves its entry out). CI replays the kept inputs
 * ({@code CheckpointMetadataFuzzTestInputs/}); {@code bench/fuzz.sh checkpoint} fuzzes.
 */
class CheckpointMetadataFuzzTest {

    private static final List<String> KEYS = List.of(Checkpoints.RECIPE, Checkpoints.CONFIG, Checkpoints.POSITION,
            Checkpoints.NORMALIZATION, "mim4j.finetune.spec", "mim4j.finetune.config", "mim4j.finetune.classes",
            "mim4j.finetune.position");

    @TempDir
    static Path folder;

    @FuzzTest
    void readsTheRunOrExplainsWhyNot(byte[] input) throws IOException {
        String[] parts = new String(input, StandardCharsets.UTF_8).split("\u0000", -1);
        SafetensorsWriter writer = new SafetensorsWriter().add("model.weight", new float[] {1f}, 1);
        for (int i = 0; i < Math.min(parts.length, KEYS.size()); i++) {
            if (!parts[i].isEmpty()) {
                writer.metadata(KEYS.get(i), parts[i]);
            }
        }
        Path file = folder.resolve("checkpoint-00000001.safetensors");
        writer.write(file);
        List<Reader> readers = List.of(Checkpoints::readState, Checkpoints::readConfig, Checkpoints::readPosition,
                Checkpoints::readNormalization, FineTuneState::read);
        for (Reader reader : readers) {
            try {
                assertThat(reader.read(file)).isNotNull();
            } catch (IOException refused) {
                assertThat(refused.getMessage()).contains(file.toString());
            }
        }
    }

    @FunctionalInterface
    private interface Reader {
        Object read(Path checkpoint) throws IOException;
    }
}
