package dev.mim4j.dsl;

import java.util.List;

import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.dsl.part.LayerNormPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.MultiHeadAttention;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.TransformerDecoder;

/**
 * The fewest parameters a spec's model can have, from its dimensions alone, without building it: what a reader
 * checks a spec read from a file against before anything is allocated (a depth of 100000 forged into a
 * checkpoint must not make libtorch allocate gigabytes first). The built-in parts count their weight matrices
 * and norms; a part, decoder or backbone of one's own counts nothing, so the floor stays a floor. Saturates at
 * {@link Long#MAX_VALUE}.
 */
public final class ParameterFloor {

    private ParameterFloor() {
    }

    /** The floor of a whole recipe's model: its backbone and a transformer decoder's blocks. */
    public static long of(MimRecipe recipe) {
        double decoder = 0;
        if (recipe.decoder() instanceof TransformerDecoder d) {
            double width = d.width();
            double block = 4 * width * width + 2 * Math.floor(width * d.mlpRatio()) * width + 4 * width;
            decoder = (double) recipe.backbone().width() * width + d.depth() * block;
        }
        return saturated(backbone(recipe.backbone()) + decoder);
    }

    /** The floor of a backbone's model (an encoder). */
    public static long of(Backbone backbone) {
        return saturated(backbone(backbone));
    }

    private static double backbone(Backbone backbone) {
        if (backbone instanceof ViT vit) {
            return patchEmbedding(vit.image(), vit.patchSize(), vit.width())
                    + (double) vit.depth() * block(vit.width(), vit.attention(), vit.mlp(), vit.norm());
        }
        if (backbone instanceof Swin swin) {
            double total = patchEmbedding(swin.image(), swin.patchSize(), swin.embedWidth());
            List<Integer> depths = swin.depths();
            for (int stage = 0; stage < depths.size(); stage++) {
                double width = swin.embedWidth() * Math.pow(2, stage);
                total += depths.get(stage) * (4 * width * width + mlp(width, swin.mlp()) + 2 * norm(width, swin.norm()));
                if (stage + 1 < depths.size()) {
                    total += 8 * width * width; // patch merging: 4 neighbours' channels to twice the width
                }
            }
            return total;
        }
        return 0;
    }

    private static double patchEmbedding(ImageSpec image, int patchSize, double width) {
        return (double) image.channels() * patchSize * patchSize * width;
    }

    private static double block(double width, AttentionPart attention, MlpPart mlp, NormPart norm) {
        double attentionWeights = attention instanceof MultiHeadAttention ? 4 * width * width : 0;
        return attentionWeights + mlp(width, mlp) + 2 * norm(width, norm);
    }

    private static double mlp(double width, MlpPart mlp) {
        return mlp instanceof GeluMlp gelu ? 2 * Math.floor(width * gelu.ratio()) * width : 0;
    }

    private static double norm(double width, NormPart norm) {
        return norm instanceof LayerNormPart ? 2 * width : 0;
    }

    private static long saturated(double count) {
        return count >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) count;
    }
}
