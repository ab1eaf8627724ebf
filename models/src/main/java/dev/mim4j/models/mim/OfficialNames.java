package dev.mim4j.models.mim;

/**
 * The official state layout of a recipe model, as a map from mim4j's names ({@code encoder.*},
 * {@code decoder.*}) to the checkpoint's.
 *
 * <p>The compiled decoder says which ({@link DecoderModule#layout()}). MAE's layout: the encoder's
 * names at the top level ({@code blocks.0.attn.qkv.weight}), the decoder's with a {@code decoder_}
 * prefix ({@code decoder_embed}, {@code decoder_blocks.N}, {@code decoder_norm}, {@code decoder_pred},
 * {@code decoder_pos_embed}) and its {@code mask_token} at the top. SimMIM's layout, which is
 * mim4j's own: {@code encoder.*} and {@code decoder.0.*}.
 */
public enum OfficialNames {
    /** facebookresearch/mae's {@code MaskedAutoencoderViT}. */
    MAE,
    /** microsoft/SimMIM's {@code SimMIM(encoder, decoder)}. */
    SIMMIM;

    /** The checkpoint's name for one of the model's parameter or buffer names. */
    public String official(String name) {
        if (this == SIMMIM) {
            return name;
        }
        if (name.startsWith("encoder.")) {
            return name.substring("encoder.".length());
        }
        if (name.equals("decoder.mask_token")) {
            return "mask_token";
        }
        if (name.startsWith("decoder.")) {
            return "decoder_" + name.substring("decoder.".length());
        }
        return name;
    }
}
