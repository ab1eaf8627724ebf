package dev.mim4j.dsl;

/** Whether attention adds a learned bias for the relative position of each pair of patches. */
public enum RelativePosition {
    /** No relative position bias, as in ViT and MAE. */
    NONE,
    /**
     * One table shared by all blocks ({@code rel_pos_bias.relative_position_bias_table}), as in
     * BEiT and SimMIM.
     */
    SHARED_BIAS
}
