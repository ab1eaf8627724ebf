package dev.mim4j.training.plot;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The curves in a metrics file as {@link dev.mim4j.training.MetricsLog} writes it (one JSON object a
 * line): loss and learning rate per step, mean loss per epoch, and evaluation metrics per epoch.
 *
 * @param stepLoss the loss of every step line, against its step
 * @param stepLearningRate the learning rate of every step line, against its step
 * @param epochLoss the mean loss of every epoch line, against the last step of that epoch, so that
 *     it can be drawn over the step loss
 * @param evals the values of every eval line against its epoch, by metric name (e.g.
 *     {@code knn_top1}), in the order the metrics first appear
 */
public record MetricsFile(List<Point> stepLoss, List<Point> stepLearningRate, List<Point> epochLoss,
        Map<String, List<Point>> evals) {

    private static final JsonMapper JSON = JsonMapper.builder()
            // Java prints a non-finite double as NaN or Infinity, and so does MetricsLog
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public MetricsFile {
        stepLoss = List.copyOf(stepLoss);
        stepLearningRate = List.copyOf(stepLearningRate);
        epochLoss = List.copyOf(epochLoss);
        Map<String, List<Point>> copy = new LinkedHashMap<>();
        evals.forEach((metric, points) -> copy.put(metric, List.copyOf(points)));
        evals = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads a metrics file. Blank lines are skipped, and so are events other than {@code step},
     * {@code epoch} and {@code eval}, so that files with newer kinds of lines still plot.
     *
     * @throws IOException if the file cannot be read, or a line is not a JSON object with the fields
     *     of its event; the message names the file and the line number
     */
    public static MetricsFile read(Path path) throws IOException {
        List<Point> stepLoss = new ArrayList<>();
        List<Point> stepLearningRate = new ArrayList<>();
        List<Point> epochLoss = new ArrayList<>();
        Map<String, List<Point>> evals = new LinkedHashMap<>();
        Map<Long, Long> lastStepOfEpoch = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                Line line = Line.parse(text, path, number);
                switch (line.text("event")) {
                    case "step" -> {
                        long step = line.integer("step");
                        stepLoss.add(new Point(step, line.number("loss")));
                        stepLearningRate.add(new Point(step, line.number("lr")));
                        lastStepOfEpoch.put(line.integer("epoch"), step);
                    }
                    case "epoch" -> {
                        long epoch = line.integer("epoch");
                        Long lastStep = lastStepOfEpoch.get(epoch);
                        if (lastStep == null) {
                            throw line.malformed(String.format(Locale.ROOT,
                                    "epoch %d ends before any step line of epoch %d", epoch, epoch));
                        }
                        epochLoss.add(new Point(lastStep, line.number("loss")));
                    }
                    case "eval" -> evals.computeIfAbsent(line.text("metric"), metric -> new ArrayList<>())
                            .add(new Point(line.integer("epoch"), line.number("value")));
                    default -> {
                        // an event this reader does not draw
                    }
                }
            }
        } catch (CharacterCodingException e) {
            // a binary file, a checkpoint given by mistake say, fails on its first byte that is no UTF-8
            throw new IOException(path + ": not a metrics file: it is not UTF-8 text (a run's metrics.jsonl holds one"
                    + " JSON object a line)", e);
        }
        return new MetricsFile(stepLoss, stepLearningRate, epochLoss, evals);
    }

    /** One parsed line, with where it came from for the messages. */
    private record Line(JsonNode node, Path path, int number) {

        static Line parse(String text, Path path, int number) throws IOException {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IOException(where(path, number) + "not JSON: " + e.getOriginalMessage(), e);
            }
            Line line = new Line(node, path, number);
            if (!node.isObject()) {
                throw line.malformed("expected a JSON object, found " + node);
            }
            return line;
        }

        String text(String field) throws IOException {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual()) {
                throw missing(field, "a string");
            }
            return value.asText();
        }

        double number(String field) throws IOException {
            JsonNode value = node.get(field);
            if (value == null || !value.isNumber()) {
                throw missing(field, "a number");
            }
            return value.asDouble();
        }

        long integer(String field) throws IOException {
            JsonNode value = node.get(field);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
                throw missing(field, "a whole number");
            }
            return value.asLong();
        }

        IOException malformed(String reason) {
            return new IOException(where(path, number) + reason);
        }

        private IOException missing(String field, String kind) {
            JsonNode value = node.get(field);
            return malformed(value == null
                    ? String.format(Locale.ROOT, "\"%s\" is missing; it must be %s", field, kind)
                    : String.format(Locale.ROOT, "\"%s\" is %s; it must be %s", field, value, kind));
        }

        private static String where(Path path, int number) {
            return path + " line " + number + ": ";
        }
    }
}
