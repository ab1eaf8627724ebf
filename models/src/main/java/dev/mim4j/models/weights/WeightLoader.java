package dev.mim4j.models.weights;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Loads named weights into a module by name, strictly (all or nothing) or leniently (what fits), and
 * always reports what was missing, unexpected or of another shape.
 *
 * <p>A prefix can be selected: {@code fromPrefix("encoder.")} loads only the source's names under
 * {@code encoder.}, without it, which is how a SimMIM checkpoint's backbone loads into a plain ViT.
 * Values are converted to the parameter's dtype and device by {@code copy_}.
 */
public final class WeightLoader {

    private final boolean strict;
    private final Predicate<String> mayStayAtInit;
    private final String prefix;
    private final UnaryOperator<String> naming;

    private WeightLoader(boolean strict, Predicate<String> mayStayAtInit, String prefix,
            UnaryOperator<String> naming) {
        this.strict = strict;
        this.mayStayAtInit = mayStayAtInit;
        this.prefix = prefix;
        this.naming = naming;
    }

    /** Fails without changing the model unless every name and shape matches both ways. */
    public static WeightLoader strict() {
        return new WeightLoader(true, name -> false, "", UnaryOperator.identity());
    }

    /**
     * Loads every tensor of the model from the source, which may hold more (a pre-training checkpoint's
     * decoder, for its encoder alone). Fails without changing the model when a tensor of the model is missing
     * or of another shape, unless {@link #leavingAtInit} names it: nothing is left at random by accident.
     */
    public static WeightLoader lenient() {
        return new WeightLoader(false, name -> false, "", UnaryOperator.identity());
    }

    /**
     * A lenient load that leaves the model's tensors named here (by the model's names as the report gives them,
     * e.g. {@code head.weight}) at their initial values when the source lacks them or holds another shape.
     */
    public WeightLoader leavingAtInit(String... names) {
        Objects.requireNonNull(names, "names");
        Set<String> allowed = Set.of(names);
        return leavingAtInit(allowed::contains);
    }

    /** As {@link #leavingAtInit(String...)}, for the names {@code names} accepts. */
    public WeightLoader leavingAtInit(Predicate<String> names) {
        Objects.requireNonNull(names, "names");
        if (strict) {
            throw new IllegalStateException("a strict load leaves nothing at its initial values; start from lenient()");
        }
        return new WeightLoader(false, names, prefix, naming);
    }

    /** Reads only the source's names that start with {@code prefix}, with the prefix removed. */
    public WeightLoader fromPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new WeightLoader(strict, mayStayAtInit, prefix, naming);
    }

    /**
     * Looks each model name up in the source under {@code naming.apply(name)}, for checkpoints whose
     * layout differs from the module's (see {@code OfficialNames}); reports use the source's names.
     */
    public WeightLoader withNames(UnaryOperator<String> naming) {
        Objects.requireNonNull(naming, "naming");
        return new WeightLoader(strict, mayStayAtInit, prefix, naming);
    }

    /**
     * @throws IncompatibleWeightsException when anything differs (strict), or a tensor of the model would keep
     *     its initial values without being named (lenient); the model is then unchanged
     */
    public LoadReport load(Module module, WeightSource source) throws IOException {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(source, "source");
        Map<String, Tensor> state = new LinkedHashMap<>();
        StateDict.of(module).forEach((name, tensor) -> state.put(naming.apply(name), tensor));
        Set<String> sourceNames = new LinkedHashSet<>();
        for (String name : source.names()) {
            if (name.startsWith(prefix)) {
                sourceNames.add(name.substring(prefix.length()));
            }
        }
        List<String> loadable = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<LoadReport.ShapeMismatch> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> entry : state.entrySet()) {
            String name = entry.getKey();
            if (!sourceNames.contains(name)) {
                missing.add(name);
                continue;
            }
            long[] modelShape = Tensors.shape(entry.getValue());
            long[] sourceShape = source.shape(prefix + name);
            if (Arrays.equals(modelShape, sourceShape)) {
                loadable.add(name);
            } else {
                mismatched.add(new LoadReport.ShapeMismatch(name, modelShape, sourceShape));
            }
        }
        List<String> unexpected = sourceNames.stream().filter(n -> !state.containsKey(n)).toList();
        LoadReport report = new LoadReport(source.description() + (prefix.isEmpty() ? "" : " (under '" + prefix + "')"),
                loadable, missing, unexpected, mismatched);
        if (strict && !report.isExact()) {
            throw new IncompatibleWeightsException(report);
        }
        report.requireFilled(mayStayAtInit);
        for (String name : loadable) {
            try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
                Tensor target = state.get(name);
                target.copy_(source.read(prefix + name));
            }
        }
        return report;
    }
}
