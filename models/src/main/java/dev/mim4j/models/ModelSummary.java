package dev.mim4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mim4j.models.weights.StateDict;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * A torchinfo-like table of a compiled module: parameters per part (top-level name, or
 * {@code blocks.N} for numbered containers), trainable versus frozen, and each part's output shape
 * where the caller knows it (from the spec's shape inference, without running the model).
 */
public record ModelSummary(String title, List<Row> rows) {

    /** One part of the module. */
    public record Row(String part, String outputShape, long parameters, long trainable) {
    }

    public ModelSummary {
        rows = List.copyOf(rows);
    }

    /**
     * @param shapes output shape per part name, as printed; parts not in the map show none
     */
    public static ModelSummary of(String title, Module module, Map<String, String> shapes) {
        return ofState(title, StateDict.parameters(module), shapes);
    }

    /**
     * A summary of named parameters (buffers are not parameters: leave them out, or they count as
     * frozen parameters).
     */
    public static ModelSummary ofState(String title, Map<String, Tensor> parameters, Map<String, String> shapes) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            long[] count = counts.computeIfAbsent(part(name), k -> new long[2]);
            count[0] += value.numel();
            if (value.requires_grad()) {
                count[1] += value.numel();
            }
        });
        List<Row> rows = new ArrayList<>();
        counts.forEach((part, count) -> rows.add(new Row(part, shapes.getOrDefault(part, ""), count[0], count[1])));
        return new ModelSummary(title, rows);
    }

    /** {@code blocks.3.attn.qkv.weight} belongs to {@code blocks.3}; {@code norm.weight} to {@code norm}. */
    static String part(String name) {
        String[] path = name.split("\\.");
        if (path.length > 2 && path[1].chars().allMatch(Character::isDigit)) {
            return path[0] + "." + path[1];
        }
        return path.length > 1 ? path[0] : name;
    }

    public long totalParameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    public long trainableParameters() {
        return rows.stream().mapToLong(Row::trainable).sum();
    }

    public long frozenParameters() {
        return totalParameters() - trainableParameters();
    }

    /** The table, one part per line, then the totals. */
    @Override
    public String toString() {
        int partWidth = Math.max(12, rows.stream().mapToInt(r -> r.part().length()).max().orElse(0));
        int shapeWidth = Math.max(12, rows.stream().mapToInt(r -> r.outputShape().length()).max().orElse(0));
        String format = "%-" + partWidth + "s  %-" + shapeWidth + "s  %,14d  %,14d%n";
        StringBuilder text = new StringBuilder(title).append('\n');
        text.append(String.format(Locale.ROOT, "%-" + partWidth + "s  %-" + shapeWidth + "s  %14s  %14s%n",
                "part", "output shape", "parameters", "trainable"));
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, format, row.part(), row.outputShape(), row.parameters(),
                    row.trainable()));
        }
        text.append(String.format(Locale.ROOT, format, "total", "", totalParameters(), trainableParameters()));
        text.append(String.format(Locale.ROOT, "trainable %,d, frozen %,d%n", trainableParameters(),
                frozenParameters()));
        return text.toString();
    }
}
