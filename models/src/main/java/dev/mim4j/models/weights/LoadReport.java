package dev.mim4j.models.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What loading weights into a model did: the names loaded, the model's names the source lacks
 * (missing), the source's names the model lacks (unexpected), the names whose shapes differ, and the
 * loaded tensors that were adapted to the model's shape (a position table resampled to another grid).
 */
public record LoadReport(String source, List<String> loaded, List<String> missing, List<String> unexpected,
        List<ShapeMismatch> mismatched, List<ShapeMismatch> adapted) {

    /** A report with nothing adapted. */
    public LoadReport(String source, List<String> loaded, List<String> missing, List<String> unexpected,
            List<ShapeMismatch> mismatched) {
        this(source, loaded, missing, unexpected, mismatched, List.of());
    }

    /** A name found on both sides with different shapes. */
    public record ShapeMismatch(String name, long[] modelShape, long[] sourceShape) {

        @Override
        public String toString() {
            return name + ": model " + Arrays.toString(modelShape) + ", checkpoint " + Arrays.toString(sourceShape);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ShapeMismatch m && m.name.equals(name)
                    && Arrays.equals(m.modelShape, modelShape) && Arrays.equals(m.sourceShape, sourceShape);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(modelShape) * 7 + Arrays.hashCode(sourceShape);
        }
    }

    public LoadReport {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        mismatched = List.copyOf(mismatched);
        adapted = List.copyOf(adapted);
    }

    /** True when every name matched in both directions with equal shapes. */
    public boolean isExact() {
        return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
    }

    /**
     * Refuses a load that would leave any of the model's tensors at its initial values (missing from the source,
     * or there at another shape), but for those {@code mayStayAtInit} accepts.
     *
     * @throws IncompatibleWeightsException naming them
     */
    public void requireFilled(Predicate<String> mayStayAtInit) {
        List<String> leftAtInit = new ArrayList<>(missing);
        mismatched.forEach(m -> leftAtInit.add(m.name()));
        leftAtInit.removeIf(mayStayAtInit);
        if (!leftAtInit.isEmpty()) {
            throw new IncompatibleWeightsException(this, leftAtInit);
        }
    }

    /** A multi-line account that names every missing, unexpected and mismatched tensor. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append("loaded ").append(loaded.size()).append(" tensors from ").append(source);
        section(text, "missing from the checkpoint", missing.stream().map(Object::toString).toList());
        section(text, "unexpected in the checkpoint", unexpected.stream().map(Object::toString).toList());
        section(text, "shape mismatches", mismatched.stream().map(Object::toString).toList());
        section(text, "adapted to the model's shape", adapted.stream().map(Object::toString).toList());
        return text.toString();
    }

    private static void section(StringBuilder text, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            text.append("\n").append(lines.size()).append(' ').append(title).append(":\n  ")
                    .append(lines.stream().collect(Collectors.joining("\n  ")));
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
