package dev.mim4j.training.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mim4j.training.MetricsLog;
import dev.mim4j.training.StepMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTest {

    @TempDir
    Path directory;

    @Test
    void readsStepsEpochsAndEvaluations() throws IOException {
        Path file = write("metrics.jsonl",
                "{\"event\": \"step\", \"step\": 1, \"epoch\": 1, \"loss\": 0.9, \"lr\": 1e-4, \"images_per_s\": 700.1,"
                        + " \"grad_norm\": 0.07, \"rss_mb\": 873, \"skipped_steps\": 0}",
                "{\"event\": \"step\", \"step\": 2, \"epoch\": 1, \"loss\": 0.8, \"lr\": 2e-4}",
                "{\"event\": \"epoch\", \"epoch\": 1, \"loss\": 0.85}",
                "",
                "{\"event\": \"step\", \"step\": 3, \"epoch\": 2, \"loss\": 0.7, \"lr\": 2e-4}",
                "{\"event\": \"step\", \"step\": 4, \"epoch\": 2, \"loss\": 0.5, \"lr\": 1e-4}",
                "{\"event\": \"epoch\", \"epoch\": 2, \"loss\": 0.6}",
                "{\"event\": \"eval\", \"epoch\": 2, \"metric\": \"linear_top1\", \"value\": 0.42}",
                "{\"event\": \"eval\", \"epoch\": 2, \"metric\": \"knn_top1\", \"value\": 0.38}",
                "{\"event\": \"checkpoint\", \"step\": 4}",
                "{\"event\": \"eval\", \"epoch\": 4, \"metric\": \"linear_top1\", \"value\": 0.55}");

        MetricsFile metrics = MetricsFile.read(file);

        assertThat(metrics.stepLoss()).containsExactly(
                new Point(1, 0.9), new Point(2, 0.8), new Point(3, 0.7), new Point(4, 0.5));
        assertThat(metrics.stepLearningRate()).containsExactly(
                new Point(1, 1e-4), new Point(2, 2e-4), new Point(3, 2e-4), new Point(4, 1e-4));
        // each epoch's mean sits at the epoch's last step
        assertThat(metrics.epochLoss()).containsExactly(new Point(2, 0.85), new Point(4, 0.6));
        assertThat(metrics.evals().keySet()).containsExactly("linear_top1", "knn_top1");
        assertThat(metrics.evals().get("linear_top1")).containsExactly(new Point(2, 0.42), new Point(4, 0.55));
        assertThat(metrics.evals().get("knn_top1")).containsExactly(new Point(2, 0.38));
    }

    @Test
    void readsWhatTheMetricsLogWrites() throws IOException {
        Path file = directory.resolve("run/metrics.jsonl");
        try (MetricsLog log = new MetricsLog(file)) {
            log.onStep(new StepMetrics(1, 2, 0, 1.5, 3e-5, 0.2, 640, 0.01, 0, 900L << 20, 0));
            log.onStep(new StepMetrics(2, 2, 0, 1.25, 6e-5, Double.NaN, 650, 0.02, 0, 901L << 20, 0));
            log.onEpochEnd(0, 1.375);
        }

        MetricsFile metrics = MetricsFile.read(file);

        assertThat(metrics.stepLoss()).containsExactly(new Point(1, 1.5), new Point(2, 1.25));
        assertThat(metrics.stepLearningRate()).containsExactly(new Point(1, 3e-5), new Point(2, 6e-5));
        assertThat(metrics.epochLoss()).containsExactly(new Point(2, 1.375));
        assertThat(metrics.evals()).isEmpty();
    }

    @Test
    void aMalformedLineIsNamedByFileAndLineNumber() throws IOException {
        Path file = write("broken.jsonl",
                "{\"event\": \"step\", \"step\": 1, \"epoch\": 1, \"loss\": 0.9, \"lr\": 1e-4}",
                "",
                "{\"event\": \"step\", \"step\": 2, \"epo");

        assertThatThrownBy(() -> MetricsFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + " line 3: not JSON: ");
    }

    @Test
    void aLineWithoutTheFieldsOfItsEventSaysWhichFieldIsWrong() throws IOException {
        Path noLoss = write("no-loss.jsonl", "{\"event\": \"step\", \"step\": 1, \"epoch\": 1, \"lr\": 1e-4}");
        Path textLoss = write("text-loss.jsonl",
                "{\"event\": \"step\", \"step\": 1, \"epoch\": 1, \"loss\": \"low\", \"lr\": 1e-4}");
        Path fractionalStep = write("fractional-step.jsonl",
                "{\"event\": \"step\", \"step\": 1.5, \"epoch\": 1, \"loss\": 0.5, \"lr\": 1e-4}");
        Path array = write("array.jsonl", "[1, 2]");
        Path orphanEpoch = write("orphan-epoch.jsonl", "{\"event\": \"epoch\", \"epoch\": 3, \"loss\": 0.6}");

        assertThatThrownBy(() -> MetricsFile.read(noLoss))
                .hasMessage(noLoss + " line 1: \"loss\" is missing; it must be a number");
        assertThatThrownBy(() -> MetricsFile.read(textLoss))
                .hasMessage(textLoss + " line 1: \"loss\" is \"low\"; it must be a number");
        assertThatThrownBy(() -> MetricsFile.read(fractionalStep))
                .hasMessage(fractionalStep + " line 1: \"step\" is 1.5; it must be a whole number");
        assertThatThrownBy(() -> MetricsFile.read(array))
                .hasMessage(array + " line 1: expected a JSON object, found [1,2]");
        assertThatThrownBy(() -> MetricsFile.read(orphanEpoch))
                .hasMessage(orphanEpoch + " line 1: epoch 3 ends before any step line of epoch 3");
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(directory.resolve(name), List.of(lines));
    }
}
