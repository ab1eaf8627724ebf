package dev.mim4j.models.compile;

import java.util.Set;

/**
 * A stage of a backbone compiled to libtorch: its parameters are registered in the encoder under
 * the stage's name, and {@link #forward} runs it on the flow.
 */
public interface CompiledStage {

    /** The flow after this stage. */
    TokenFlow forward(TokenFlow flow);

    /** Where its parameters sit for layer-wise decay. */
    LayerRole role();

    /**
     * The full names of its parameters that are tokens or position tables, which a recipe may
     * exempt from weight decay (SimMIM does, MAE does not).
     */
    default Set<String> tokenParameters() {
        return Set.of();
    }
}
