package dev.mim4j.models.weights;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.Tensor;

/** Named tensors already in memory (another module's state, say) as a {@link WeightSource}. */
public final class StateSource implements WeightSource {

    private final String description;
    private final Map<String, Tensor> state;

    public StateSource(String description, Map<String, Tensor> state) {
        if (description == null || state == null) {
            throw new IllegalArgumentException("a state source needs a description and its tensors");
        }
        this.description = description;
        this.state = new LinkedHashMap<>(state);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> names() {
        return List.copyOf(state.keySet());
    }

    @Override
    public long[] shape(String name) {
        return Tensors.shape(tensor(name));
    }

    /** A CPU copy, which the caller owns. */
    @Override
    public Tensor read(String name) {
        return tensor(name).detach().cpu().clone();
    }

    private Tensor tensor(String name) {
        Tensor tensor = state.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(description + " has no tensor '" + name + "'");
        }
        return tensor;
    }

    @Override
    public void close() {
        // the tensors belong to their module
    }
}
