package dev.mim4j.dsl;

/** How a new backbone's weights are drawn, so that training from scratch matches a paper. */
public enum Initialization {
    /** MAE's: xavier-uniform Linears, patch embedding like a Linear, tokens from N(0, 0.02). */
    XAVIER_UNIFORM,
    /** BEiT's and SimMIM's: trunc-normal(0.02) Linears, attn.proj and mlp.fc2 / sqrt(2 * layer). */
    TRUNC_NORMAL,
    /** Swin's: trunc-normal(0.02) Linears and tokens, nothing rescaled, the patch convolution left as it is. */
    TRUNC_NORMAL_UNSCALED
}
