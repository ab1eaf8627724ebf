package dev.mim4j.models.compile;

/**
 * Where a compiled stage's parameters sit for layer-wise learning-rate decay, as BEiT and MAE number
 * layers: the embeddings are layer 0, the {@code i}-th block is layer {@code i}, and what comes after
 * the blocks (and BEiT's shared relative bias) is the last layer.
 */
public enum LayerRole {
    /** Layer 0: patch embedding, positions, class and mask tokens. */
    EMBEDDING,
    /** The next layer: one transformer block. */
    BLOCK,
    /** The layer of the block before it (0 before any): a stage between blocks, such as patch merging. */
    WITH_PREVIOUS_BLOCK,
    /** The layer after the last block: final norm, shared relative bias. */
    TOP
}
