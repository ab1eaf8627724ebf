package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs killed and resumed, finished and extended, re-batched: what each leaves on disk. */
class ResumeAfterFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theMetricsOfARunKilledTwiceReadAsOneRun(@TempDir Path dir) throws Exception {
        // 64 images, batch 8: 8 steps an epoch, 24 steps; checkpoints every 3 steps and at each epoch's end
        TrainConfig config = TinyRuns.config(3).toBuilder().checkpointEverySteps(3).keepCheckpoints(2).build();
        Path whole = dir.resolve("whole");
        runWithMetrics(Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), whole), whole, -1);

        Path broken = dir.resolve("broken");
        assertThatThrownBy(() -> runWithMetrics(Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), broken),
                broken, 11)).hasMessage("simulated crash at step 11");
        assertThatThrownBy(() -> runWithMetrics(Pretrainer.resume(broken, TinyRuns.data(64), broken), broken, 20))
                .hasMessage("simulated crash at step 20");
        runWithMetrics(Pretrainer.resume(broken, TinyRuns.data(64), broken), broken, -1);

        List<String> expected = withoutTimings(whole.resolve("metrics.jsonl"));
        assertThat(withoutTimings(broken.resolve("metrics.jsonl"))).containsExactlyElementsOf(expected);
        assertThat(expected).filteredOn(line -> line.contains("\"epoch\",")).hasSize(3);
    }

    @Test
    void aFinishedRunResumesToNothingOrGoesOnWithMoreEpochs(@TempDir Path dir) throws Exception {
        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(64), dir).run();

        RunSummary again = Pretrainer.resume(dir, TinyRuns.data(64), dir).run();
        assertThat(again.steps()).isEqualTo(8);
        assertThat(again.lastCheckpoint()).isEqualTo(Checkpoints.path(dir, 8));

        List<Double> rates = new ArrayList<>();
        Pretrainer longer = Pretrainer.resume(dir, TinyRuns.data(64), dir);
        RunSummary extended = longer.config(longer.config().toBuilder().epochs(2).build())
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics m) {
                        rates.add(m.learningRate());
                    }
                }).run();

        assertThat(extended.steps()).isEqualTo(16);
        assertThat(Checkpoints.latest(dir)).contains(Checkpoints.path(dir, 16));
        // the schedule of a 2-epoch run, from where the run stood
        LearningRateSchedule schedule = LearningRateSchedule.of(TinyRuns.config(2));
        assertThat(rates.get(0)).isEqualTo(schedule.at(1.0));
    }

    @Test
    void theTemporaryFilesOfKilledWritesAreRemovedWhenTheFolderIsTaken(@TempDir Path dir) throws Exception {
        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(64), dir).run();
        Path leftOver = Files.writeString(dir.resolve(".checkpoint-00000009.safetensors.5eed.tmp"), "half");

        Pretrainer.resume(dir, TinyRuns.data(64), dir).run();

        assertThat(leftOver).doesNotExist();
    }

    @Test
    void aNewBatchSizeGoesOnFromTheImageTheRunHadReached(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(2).toBuilder().checkpointEverySteps(4).build();
        assertThatThrownBy(() -> Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), dir)
                .listener(TinyRuns.stepLosses(new ArrayList<>(), 5)).run()).hasMessage("simulated crash at step 5");

        Pretrainer resumed = Pretrainer.resume(dir, TinyRuns.data(64), dir);
        RunSummary summary = resumed.config(resumed.config().toBuilder().batchSize(16).build()).run();

        // 4 steps of 8 images, the epoch's other 32 images in 2 steps of 16, then an epoch of 4 steps
        assertThat(summary.steps()).isEqualTo(10);
    }

    @Test
    void aLargerBatchThanTheImagesLeftInTheEpochStillEndsTheEpoch(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(2).toBuilder().checkpointEverySteps(7).build();
        assertThatThrownBy(() -> Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), dir)
                .listener(TinyRuns.stepLosses(new ArrayList<>(), 8)).run()).hasMessage("simulated crash at step 8");

        List<Integer> epochsEnded = new ArrayList<>();
        Pretrainer resumed = Pretrainer.resume(dir, TinyRuns.data(64), dir);
        RunSummary summary = resumed.config(resumed.config().toBuilder().batchSize(16).build())
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(int epoch, double meanLoss) {
                        epochsEnded.add(epoch);
                    }
                }).run();

        // 56 images seen: the epoch's last 16 (images 48-63) in 1 step, then an epoch of 4 steps
        assertThat(summary.steps()).isEqualTo(12);
        assertThat(epochsEnded).containsExactly(0, 1);
    }

    @Test
    void aNewAccumulationGoesOnFromAWindowStartWithTheScheduledRate(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(2).toBuilder().checkpointEverySteps(5).build();
        assertThatThrownBy(() -> Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), dir)
                .listener(TinyRuns.stepLosses(new ArrayList<>(), 6)).run()).hasMessage("simulated crash at step 6");

        List<Double> rates = new ArrayList<>();
        Pretrainer resumed = Pretrainer.resume(dir, TinyRuns.data(64), dir);
        RunSummary summary = resumed.config(resumed.config().toBuilder().accumulation(2).build())
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics m) {
                        rates.add(m.learningRate());
                    }
                }).run();

        // micro-batch 5 is inside a window of 2: the run goes on from micro-batch 4 (2 steps left in the
        // epoch), then an epoch of 4 steps
        assertThat(summary.steps()).isEqualTo(11);
        assertThat(rates).hasSize(6).allMatch(rate -> rate > 0);
    }

    private static void runWithMetrics(Pretrainer trainer, Path folder, int crashAt) throws IOException {
        try (MetricsLog metrics = new MetricsLog(folder.resolve("metrics.jsonl"))) {
            trainer.listener(metrics).listener(TinyRuns.stepLosses(new ArrayList<>(), crashAt)).run();
        }
    }

    /** The lines of a metrics file without what depends on the machine (throughput, memory). */
    private static List<String> withoutTimings(Path metrics) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode event = JSON.readTree(line);
            ((ObjectNode) event).remove(List.of("images_per_s", "loader_wait_s", "rss_mb"));
            lines.add(event.toString());
        }
        return lines;
    }
}
