package dev.mim4j.models.weights;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * A module's state as Python's {@code state_dict()} has it: every parameter and buffer, by dotted name.
 *
 * <p>Native memory: the tensors are the module's own, shared, not copies; they live as long as the module and
 * are never to be closed by the caller.
 */
public final class StateDict {

    private StateDict() {
    }

    /** Parameters first, then buffers, each in registration order. */
    public static Map<String, Tensor> of(Module module) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        put(state, module.named_parameters(true));
        put(state, module.named_buffers(true));
        return state;
    }

    /** The parameters alone (trainable or frozen), without buffers. */
    public static Map<String, Tensor> parameters(Module module) {
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        put(parameters, module.named_parameters(true));
        return parameters;
    }

    private static void put(Map<String, Tensor> state, StringTensorDict dict) {
        for (long i = 0; i < dict.size(); i++) {
            // a copy of the handle: the dict, and references into it, die with this call
            state.put(dict.get(i).key().getString(), new Tensor(dict.get(i).value()));
        }
    }
}
