package dev.mim4j.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The trainable parameters split for weight decay as both official code bases do: matrices are
 * decayed; biases, norm weights and every other 1-D parameter are not; the parameters that the
 * model declares tokens or position tables ({@link ParameterRoles#tokens()}) are decayed or not by
 * choice (MAE decays them, SimMIM does not). Frozen parameters (the fixed sin-cos tables) are in
 * neither group. No parameter name is parsed: the model says which parameter is what.
 */
public record ParameterGroups(Map<String, Tensor> decayed, Map<String, Tensor> notDecayed) {

    public ParameterGroups {
        // insertion order, so that sums over parameters (the gradient norm) are the same in every JVM
        decayed = Collections.unmodifiableMap(new LinkedHashMap<>(decayed));
        notDecayed = Collections.unmodifiableMap(new LinkedHashMap<>(notDecayed));
    }

    /**
     * @param roles the model's parameter roles, under the names {@code model} gives its parameters
     */
    public static ParameterGroups of(Module model, ParameterRoles roles, boolean decayTokens) {
        Map<String, Tensor> decayed = new LinkedHashMap<>();
        Map<String, Tensor> notDecayed = new LinkedHashMap<>();
        StateDict.parameters(model).forEach((name, parameter) -> {
            if (!parameter.requires_grad()) {
                return;
            }
            boolean decay = parameter.dim() >= 2 && (decayTokens || !roles.isToken(name));
            (decay ? decayed : notDecayed).put(name, parameter);
        });
        return new ParameterGroups(decayed, notDecayed);
    }
}
