/**
 * ViT's own stages: its transformer blocks (global multi-head attention, timm's layout) and BEiT's relative
 * position bias shared by every block, which SimMIM's ViT uses. MAE's decoder is made of the same blocks.
 */
package dev.mim4j.models.vit;
