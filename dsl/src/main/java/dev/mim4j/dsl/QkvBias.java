package dev.mim4j.dsl;

/** Which biases attention's query, key and value projections learn; checkpoints differ in it. */
public enum QkvBias {
    /** No bias on q, k or v, as with timm's {@code qkv_bias=False}. */
    NONE,
    /** One bias on the fused {@code attn.qkv} Linear, as in timm's ViT and MAE. */
    FUSED,
    /** Learned {@code q_bias} and {@code v_bias}, k's bias fixed at zero, as in BEiT and SimMIM. */
    Q_AND_V
}
