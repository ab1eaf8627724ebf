package dev.mim4j.dsl.part;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The normalisation of a backbone: inside every block and after the last. {@link LayerNormPart}
 * is the built-in one; a user part (RMSNorm, say) implements this interface, registers a compiler
 * in the models module, and joins spec JSON with {@link dev.mim4j.dsl.SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface NormPart {

    /** Layer normalisation over the token width with a learned scale and shift. */
    static LayerNormPart layerNorm(double eps) {
        return new LayerNormPart(eps);
    }

    /** A few words for a backbone's description, e.g. "layer norm eps 1.0E-6". */
    String describe();
}
