package dev.mim4j.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Appends one JSON object per line to a metrics file: every step ({@code step, epoch, loss, lr,
 * images_per_s, grad_norm, rss_mb, skipped_steps}) and every epoch's mean loss
 * ({@code "event": "epoch"}) and evaluation ({@code "event": "eval", "metric", "value"}). Appending
 * lets a resumed run continue the same file.
 */
public final class MetricsLog implements TrainingListener, AutoCloseable {

    private final Path path;
    private final Writer out;

    public MetricsLog(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    public Path path() {
        return path;
    }

    @Override
    public void onStep(StepMetrics m) {
        write(String.format(Locale.ROOT, "{\"event\": \"step\", \"step\": %d, \"epoch\": %d, \"loss\": %.6g, \"lr\": %.6g,"
                + " \"images_per_s\": %.2f, \"grad_norm\": %.6g, \"rss_mb\": %d, \"skipped_steps\": %d}",
                m.step(), m.epoch() + 1, m.loss(), m.learningRate(), m.imagesPerSecond(), m.gradientNorm(),
                m.residentBytes() >> 20, m.skippedSteps()));
    }

    @Override
    public void onEpochEnd(int epoch, double meanLoss) {
        write(String.format(Locale.ROOT, "{\"event\": \"epoch\", \"epoch\": %d, \"loss\": %.6g}", epoch + 1, meanLoss));
    }

    @Override
    public void onEvaluation(int epoch, String metric, double value) {
        write(String.format(Locale.ROOT, "{\"event\": \"eval\", \"epoch\": %d, \"metric\": \"%s\", \"value\": %.6g}",
                epoch + 1, metric, value));
    }

    private void write(String line) {
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to the metrics file " + path, e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
