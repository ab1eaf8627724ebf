package dev.mim4j.models.mim;

import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.TransformerDecoder;

/**
 * The official state layout of a recipe model, as a map from mim4j's names ({@code encoder.*},
 * {@code decoder.*}) to the checkpoint's.
 *
 * <p>With a transformer decoder, MAE's layout: the encoder's names at the top level
 * ({@code blocks.0.attn.qkv.weight}), the decoder's with a {@code decoder_} prefix
 * ({@code decoder_embed}, {@code decoder_blocks.N}, {@code decoder_norm}, {@code decoder_pred},
 * {@code decoder_pos_embed}) and its {@code mask_token} at the top. With a linear pixel decoder,
 * SimMIM's layout, which is mim4j's own: {@code encoder.*} and {@code decoder.0.*}.
 */
public enum OfficialNames {
    /** facebookresearch/mae's {@code MaskedAutoencoderViT}. */
    MAE,
    /** microsoft/SimMIM's {@code SimMIM(encoder, decoder)}. */
    SIMMIM;

    /** The layout of the official code base whose decoder the recipe uses. */
    public static OfficialNames of(Decoder decoder) {
        return decoder instanceof TransformerDecoder ? MAE : SIMMIM;
    }

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
