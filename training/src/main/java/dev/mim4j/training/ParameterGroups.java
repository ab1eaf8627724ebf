package dev.mim4j.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mim4j.models.weights.StateDict;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The trainable parameters split for weight decay as both official code bases do: matrices are
 * decayed; biases, norm weights and every other 1-D parameter are not; tokens, position tables and
 * the relative position table are decayed or not by choice (MAE decays them, SimMIM does not).
 * Frozen parameters (the fixed sin-cos tables) are in neither group.
 */
public record ParameterGroups(Map<String, Tensor> decayed, Map<String, Tensor> notDecayed) {

    private static final List<String> TOKEN_LIKE =
            List.of("cls_token", "mask_token", "pos_embed", "relative_position_bias_table");

    public ParameterGroups {
        // insertion order, so that sums over parameters (the gradient norm) are the same in every JVM
        decayed = Collections.unmodifiableMap(new LinkedHashMap<>(decayed));
        notDecayed = Collections.unmodifiableMap(new LinkedHashMap<>(notDecayed));
    }

    public static ParameterGroups of(Module model, boolean decayTokens) {
        Map<String, Tensor> decayed = new LinkedHashMap<>();
        Map<String, Tensor> notDecayed = new LinkedHashMap<>();
        StateDict.parameters(model).forEach((name, parameter) -> {
            if (!parameter.requires_grad()) {
                return;
            }
            boolean tokenLike = TOKEN_LIKE.stream().anyMatch(name::endsWith);
            boolean decay = parameter.dim() >= 2 && !name.endsWith(".bias") && (decayTokens || !tokenLike);
            (decay ? decayed : notDecayed).put(name, parameter);
        });
        return new ParameterGroups(decayed, notDecayed);
    }
}
