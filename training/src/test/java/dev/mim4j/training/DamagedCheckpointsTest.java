package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.mim4j.models.checkpoint.CheckpointFormat;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.models.weights.SafetensorsWriter;
import dev.mim4j.models.weights.TensorInfo;
import dev.mim4j.models.weights.TensorSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random bytes written into a checkpoint after the run wrote it (a disk error, a stray write): the damage is
 * found by the checksums, a resume of the folder goes on from the newest checkpoint that reads back whole and
 * keeps the damaged one's bytes aside, and no reader trusts the damaged file.
 */
class DamagedCheckpointsTest {

    @TempDir
    Path run;

    @BeforeEach
    void trainOneEpochWithACheckpointEveryTwoSteps() throws IOException {
        // 64 images, batch 8: 8 steps, checkpoints at steps 4, 6 and 8 kept
        TrainConfig config = TinyRuns.config(1).toBuilder().checkpointEverySteps(2).keepCheckpoints(3).build();
        Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), run).run();
        assertThat(Checkpoints.latest(run)).contains(Checkpoints.path(run, 8));
    }

    @Test
    void aResumeOfTheFolderGoesOnFromTheNewestCheckpointThatReadsBackWhole() throws IOException {
        Path damaged = Checkpoints.path(run, 8);
        byte[] damagedBytes = writeRandomBytesIntoTheMiddle(damaged);
        List<Long> startedAt = new ArrayList<>();

        Pretrainer resumed = Pretrainer.resume(run, TinyRuns.data(64), run);
        RunSummary summary = resumed.config(resumed.config().toBuilder().epochs(2).build())
                .listener(new TrainingListener() {
                    @Override
                    public void onStartingAt(long step, int epochsCompleted) {
                        startedAt.add(step);
                    }
                }).run();

        assertThat(startedAt).containsExactly(6L);
        assertThat(summary.steps()).isEqualTo(16);
        Path aside = run.resolve("checkpoint-00000008.safetensors.damaged");
        assertThat(aside).hasBinaryContent(damagedBytes);
        assertThat(Checkpoints.latest(run)).contains(Checkpoints.path(run, 16));
        Checkpoints.verify(Checkpoints.path(run, 16));
    }

    @Test
    void aDamagedCheckpointNamedByItsFileIsRefusedWithTheTensor() throws IOException {
        Path damaged = Checkpoints.path(run, 8);
        writeRandomBytesIntoTheMiddle(damaged);

        assertThatThrownBy(() -> Pretrainer.resume(damaged, TinyRuns.data(64), run))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(damaged + ": tensor '")
                .hasMessageContaining("does not match the checksum written with it")
                .hasMessageContaining("the file is damaged (changed after it was written, or a disk error");
        assertThatThrownBy(() -> Checkpoints.loadModel(damaged)).hasMessageStartingWith(damaged + ": tensor '");
        assertThat(damaged).exists();
    }

    @Test
    void aChangedSettingInTheMetadataIsRefusedBeforeItIsUsed() throws IOException {
        Path checkpoint = Checkpoints.path(run, 8);
        String bytes = Files.readString(checkpoint, StandardCharsets.ISO_8859_1);
        String epochs = "\\\"epochs\\\": ";
        assertThat(bytes).contains(epochs + "1");
        Files.writeString(checkpoint, bytes.replace(epochs + "1", epochs + "9"), StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> Checkpoints.readConfig(checkpoint))
                .hasMessageStartingWith(checkpoint + ": its header (the tensors' names, types, shapes and offsets,"
                        + " and its metadata) does not match the checksum written with it");
    }

    @Test
    void aFolderWhoseCheckpointsAreAllDamagedIsRefused() throws IOException {
        for (long step : new long[] {4, 6, 8}) {
            writeRandomBytesIntoTheMiddle(Checkpoints.path(run, step));
        }
        assertThatThrownBy(() -> Pretrainer.resume(run, TinyRuns.data(64), run))
                .hasMessageStartingWith("every checkpoint in " + run + " is damaged; the newest: "
                        + Checkpoints.path(run, 8) + ": tensor '");
    }

    @Test
    void aForgedRecipeWithValidChecksumsIsRefusedBeforeItsModelIsBuilt() throws IOException {
        Path forged = run.resolve("forged.safetensors");
        try (SafetensorsFile original = SafetensorsFile.open(Checkpoints.path(run, 8))) {
            SafetensorsWriter writer = new SafetensorsWriter().withChecksums();
            original.metadata().forEach((key, value) -> writer.metadata(key, key.equals(CheckpointFormat.RECIPE)
                    ? value.replaceFirst("\"depth\": 2", "\"depth\": 100000") : value));
            for (TensorInfo tensor : original.tensors()) {
                writer.add(tensor.name(), tensor.dtype(), tensor.shape(), TensorSource.of(original.data(tensor.name())));
            }
            writer.write(forged);
        }
        String refusal = forged + ": its 'mim4j.recipe' metadata describes a model of at least 1,241,605,184"
                + " parameters, but the file holds 32,560 values under 'model.': the metadata does not belong with"
                + " these tensors (changed after the file was written?)";

        assertThatThrownBy(() -> Checkpoints.loadModel(forged)).isInstanceOf(IOException.class).hasMessage(refusal);
        assertThatThrownBy(() -> Pretrainer.resume(forged, TinyRuns.data(64), run)).hasMessage(refusal);
    }

    /** Writes 64 random bytes into the middle of {@code file}, among its tensors; returns the file's bytes after. */
    private static byte[] writeRandomBytesIntoTheMiddle(Path file) throws IOException {
        byte[] noise = new byte[64];
        new Random(7).nextBytes(noise);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(out.length() / 2);
            out.write(noise);
        }
        return Files.readAllBytes(file);
    }
}
