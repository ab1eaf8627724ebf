package dev.mim4j.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.models.AtomicFiles;

/**
 * Appends one JSON object per line to a metrics file: every step ({@code step, epoch, loss, lr,
 * images_per_s, loader_wait_s, reduce_s, grad_norm, rss_mb, skipped_steps}) and every epoch's mean loss
 * ({@code "event": "epoch"}), evaluation ({@code "event": "eval", "metric", "value"}) and setting changed
 * at a resume ({@code "event": "override"}). A resumed run continues the same file, first cut back to
 * what the checkpoint it resumes from had seen, so that after any number of kills and resumes the file
 * reads as one run: each step once, each epoch once.
 */
public final class MetricsLog implements TrainingListener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private Writer out;
    private final List<String> overrides = new ArrayList<>();

    public MetricsLog(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path.toAbsolutePath().getParent());
        this.out = append(path);
    }

    private static Writer append(Path path) throws IOException {
        return Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    public Path path() {
        return path;
    }

    /**
     * Cuts the file back to the steps up to {@code step} and the epochs up to {@code epochsCompleted}
     * (and drops a line torn by a kill), through a temporary file renamed over it: a new run in a folder
     * where an attempt was killed before its first checkpoint starts the file afresh. Then writes the
     * overrides recorded for this start.
     */
    @Override
    public void onStartingAt(long step, int epochsCompleted) {
        try {
            out.close();
            List<String> kept = new ArrayList<>();
            // lenient decoding: a kill can tear a line inside a multi-byte character
            for (String line : new String(Files.readAllBytes(path), StandardCharsets.UTF_8).split("\n")) {
                if (belongsBefore(line, step, epochsCompleted)) {
                    kept.add(line);
                }
            }
            AtomicFiles.write(path, temporary -> Files.write(temporary, kept, StandardCharsets.UTF_8));
            out = append(path);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(path + ": could not cut the metrics file back to step "
                    + step + " (" + AtomicFiles.reason(e) + ")", e));
        }
        overrides.forEach(this::write);
        overrides.clear();
    }

    private static boolean belongsBefore(String line, long step, int epochsCompleted) {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (IOException torn) {
            return false;
        }
        if (event == null || !event.isObject()) {
            return false;
        }
        if (event.path("event").asText().equals("override")) {
            // an override at the step resumed from belongs to that start, which this one replaces
            return event.path("step").asLong() < step;
        }
        if (event.has("step")) {
            return event.get("step").asLong() <= step;
        }
        return event.has("epoch") && event.get("epoch").asInt() <= epochsCompleted;
    }

    /**
     * Records, when the run starts, that it changed {@code setting} from the checkpoint's {@code from} to
     * {@code to} on resuming at {@code step}.
     */
    public void recordOverride(long step, String setting, String from, String to) {
        ObjectNode line = JSON.createObjectNode();
        line.put("event", "override");
        line.put("step", step);
        line.put("setting", setting);
        line.put("from", from);
        line.put("to", to);
        overrides.add(line.toString());
    }

    @Override
    public void onStep(StepMetrics m) {
        write(String.format(Locale.ROOT, "{\"event\": \"step\", \"step\": %d, \"epoch\": %d, \"loss\": %.6g, \"lr\": %.6g,"
                + " \"images_per_s\": %.2f, \"loader_wait_s\": %.4f, \"reduce_s\": %.4f,"
                + " \"grad_norm\": %.6g, \"rss_mb\": %d,"
                + " \"skipped_steps\": %d}", m.step(), m.epoch() + 1, m.loss(), m.learningRate(), m.imagesPerSecond(),
                m.loaderWaitSeconds(), m.reduceSeconds(), m.gradientNorm(), m.residentBytes() >> 20, m.skippedSteps()));
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
            throw new UncheckedIOException(new IOException(path + ": could not append to the metrics file ("
                    + e.getMessage() + ")", e));
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
