package dev.mim4j.dsl.part;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The feed-forward part of a transformer block. {@link GeluMlp} is the built-in one; a user part
 * (SwiGLU, say) implements this interface, registers a compiler in the models module, and joins
 * spec JSON with {@link dev.mim4j.dsl.SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface MlpPart {

    /** timm's MLP: Linear to {@code ratio x width}, exact GELU, Linear back. */
    static GeluMlp gelu(double ratio) {
        return new GeluMlp(ratio);
    }

    /**
     * Checks that the part fits tokens of {@code width}, or throws a
     * {@link dev.mim4j.dsl.SpecException} naming the numbers.
     */
    void validate(int width);

    /** A few words for a backbone's description at {@code width}, e.g. "mlp 3072". */
    String describe(int width);
}
