package dev.mim4j.dsl.part;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.QkvBias;

/**
 * Multi-head self-attention as in timm, MAE, BEiT and SimMIM: a fused {@code qkv} Linear, scaled
 * dot-product attention with an optional additive bias, and a {@code proj} Linear.
 *
 * @param qkvBias which biases the q, k and v projections learn
 */
public record MultiHeadAttention(QkvBias qkvBias) implements AttentionPart {

    public MultiHeadAttention {
        given("qkv bias", qkvBias);
    }

    @Override
    public void validate(int width, int heads) {
        check(width % heads == 0, "width %d is not divisible by %d heads", width, heads);
    }

    @Override
    public String describe() {
        return "qkv " + qkvBias;
    }
}
