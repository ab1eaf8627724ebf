package dev.mim4j.dsl.part;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mim4j.dsl.QkvBias;

/**
 * The token-mixing part of a transformer block. {@link MultiHeadAttention} is the built-in one; a
 * user part implements this interface, registers a compiler in the models module, and joins spec
 * JSON with {@link dev.mim4j.dsl.SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface AttentionPart {

    /** Multi-head self-attention with a fused qkv projection and the given biases. */
    static MultiHeadAttention multiHead(QkvBias qkvBias) {
        return new MultiHeadAttention(qkvBias);
    }

    /**
     * Checks that the part fits a block of {@code width} with {@code heads} heads, or throws a
     * {@link dev.mim4j.dsl.SpecException} naming the numbers.
     */
    void validate(int width, int heads);

    /** A few words for a backbone's description, e.g. "qkv FUSED". */
    String describe();
}
