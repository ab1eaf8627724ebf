package dev.mim4j.models.layout;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The names of Hugging Face transformers' checkpoints of {@code ViTMAEForPreTraining} and
 * {@code SwinForMaskedImageModeling} (transformers 4.x, as its conversion scripts from the official MAE and
 * SimMIM checkpoints write them and as its Hub checkpoints hold them): everything else, the decoders
 * ({@code decoder.*}) included, is not the encoder's.
 */
final class HuggingFaceNames {

    private HuggingFaceNames() {
    }

    /** ViTMAE's names for a ViT, SwinForMaskedImageModeling's for a Swin (an encoder with {@code layers.*}). */
    static final NameMap MAP = new NameMap() {
        @Override
        public NameMap forEncoder(Collection<String> encoderNames) {
            return encoderNames.stream().anyMatch(n -> n.startsWith("layers.")) ? SWIN : VIT;
        }

        @Override
        public Optional<Slot> toEncoder(String theirs) {
            return (theirs.startsWith("swin.") ? SWIN : VIT).toEncoder(theirs);
        }

        @Override
        public List<String> fromEncoder(String ours) {
            throw new IllegalStateException("Hugging Face's names depend on the backbone: use forEncoder first");
        }
    };

    private static final NameMap VIT = RenameRules.builder(true)
            .rule("cls_token", "vit.embeddings.cls_token")
            .rule("pos_embed", "vit.embeddings.position_embeddings")
            .rule("patch_embed.proj.{p}", "vit.embeddings.patch_embeddings.projection.{p}")
            .rule("blocks.{n}.norm1.{p}", "vit.encoder.layer.{n}.layernorm_before.{p}")
            .rule("blocks.{n}.attn.qkv.{p}", "vit.encoder.layer.{n}.attention.attention.query.{p}",
                    "vit.encoder.layer.{n}.attention.attention.key.{p}",
                    "vit.encoder.layer.{n}.attention.attention.value.{p}")
            .rule("blocks.{n}.attn.proj.{p}", "vit.encoder.layer.{n}.attention.output.dense.{p}")
            .rule("blocks.{n}.norm2.{p}", "vit.encoder.layer.{n}.layernorm_after.{p}")
            .rule("blocks.{n}.mlp.fc1.{p}", "vit.encoder.layer.{n}.intermediate.dense.{p}")
            .rule("blocks.{n}.mlp.fc2.{p}", "vit.encoder.layer.{n}.output.dense.{p}")
            .rule("norm.{p}", "vit.layernorm.{p}")
            .build();

    /** Patch merging at the end of stage i, as in the official code. */
    private static final NameMap SWIN = RenameRules.builder(true)
            .rule("patch_embed.proj.{p}", "swin.embeddings.patch_embeddings.projection.{p}")
            .rule("mask_token", "swin.embeddings.mask_token")
            .rule("absolute_pos_embed", "swin.embeddings.position_embeddings")
            .rule("patch_embed.norm.{p}", "swin.embeddings.norm.{p}")
            .rule("layers.{s}.blocks.{b}.norm1.{p}", "swin.encoder.layers.{s}.blocks.{b}.layernorm_before.{p}")
            .rule("layers.{s}.blocks.{b}.attn.qkv.{p}", "swin.encoder.layers.{s}.blocks.{b}.attention.self.query.{p}",
                    "swin.encoder.layers.{s}.blocks.{b}.attention.self.key.{p}",
                    "swin.encoder.layers.{s}.blocks.{b}.attention.self.value.{p}")
            .rule("layers.{s}.blocks.{b}.attn.relative_position_bias_table",
                    "swin.encoder.layers.{s}.blocks.{b}.attention.self.relative_position_bias_table")
            .rule("layers.{s}.blocks.{b}.attn.relative_position_index",
                    "swin.encoder.layers.{s}.blocks.{b}.attention.self.relative_position_index")
            .rule("layers.{s}.blocks.{b}.attn.proj.{p}", "swin.encoder.layers.{s}.blocks.{b}.attention.output.dense.{p}")
            .rule("layers.{s}.blocks.{b}.norm2.{p}", "swin.encoder.layers.{s}.blocks.{b}.layernorm_after.{p}")
            .rule("layers.{s}.blocks.{b}.mlp.fc1.{p}", "swin.encoder.layers.{s}.blocks.{b}.intermediate.dense.{p}")
            .rule("layers.{s}.blocks.{b}.mlp.fc2.{p}", "swin.encoder.layers.{s}.blocks.{b}.output.dense.{p}")
            .rule("layers.{s}.blocks.{b}.attn_mask")
            .rule("layers.{s}.downsample.reduction.{p}", "swin.encoder.layers.{s}.downsample.reduction.{p}")
            .rule("layers.{s}.downsample.norm.{p}", "swin.encoder.layers.{s}.downsample.norm.{p}")
            .rule("norm.{p}", "swin.layernorm.{p}")
            .build();
}
