/**
 * What every backbone compiles through, ViT and Swin alike: {@link dev.mim4j.models.backbone.VisionTransformer}
 * builds any {@link dev.mim4j.dsl.Backbone}'s pipeline stage by stage, and the stages here (patch embedding, the
 * masked-token points, positions, the class token, the final norm) serve every pipeline. ViT's blocks are in
 * {@code models.vit}, Swin's in {@code models.swin}, the built-in block parts in {@code models.parts}.
 */
package dev.mim4j.models.backbone;
