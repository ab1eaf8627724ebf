package dev.mim4j.dsl;

/** How absolute positions are added to the patch tokens; it decides the {@code pos_embed} table. */
public enum AbsolutePosition {
    /** No absolute positions, as in BEiT and SimMIM, which use a relative bias instead. */
    NONE,
    /** MAE's fixed (frozen) 2-D sin-cos table, with a zero row for the class token. */
    SIN_COS_2D,
    /** A trainable table, as in the original ViT and timm. */
    LEARNED
}
