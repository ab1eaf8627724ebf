package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.positive;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.BlockSpec;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import java.util.Locale;

/**
 * MAE's decoder: the encoder's tokens are embedded to {@code width}, mask tokens fill the masked
 * positions and everything is unshuffled back to image order, fixed 2-D sin-cos positions are
 * added, then {@code depth} pre-norm blocks, a layer norm and a linear prediction of each patch's
 * {@code p * p * C} pixels.
 *
 * @param width token width inside the decoder
 * @param depth number of decoder blocks
 * @param heads attention heads per block
 * @param mlpRatio MLP hidden width as a multiple of {@code width}
 * @param normEps epsilon of every layer norm in the decoder
 */
public record TransformerDecoder(int width, int depth, int heads, double mlpRatio, double normEps)
        implements Decoder {

    public TransformerDecoder {
        atLeastOne("decoder width", width);
        atLeastOne("decoder depth", depth);
        atLeastOne("decoder heads", heads);
        check(width % heads == 0, "decoder width %d is not divisible by %d heads", width, heads);
        // The 2-D table gives half the width to each axis and splits each half into sin and cos.
        check(width % 4 == 0,
                "decoder width %d is not a multiple of 4, which 2-D sin-cos positions need", width);
        positive("decoder mlp ratio", mlpRatio);
        int hidden = (int) (width * mlpRatio);
        check(hidden >= 1,
                "decoder mlp ratio %s gives %d hidden units for width %d; it must give at least 1",
                mlpRatio, hidden, width);
        positive("decoder norm epsilon", normEps);
    }

    /** The spec of every decoder block: a fused qkv bias, no layer scale and no drop path, as MAE's. */
    public BlockSpec block() {
        return new BlockSpec(width, heads, AttentionPart.multiHead(QkvBias.FUSED), MlpPart.gelu(mlpRatio),
                NormPart.layerNorm(normEps), 0, 0);
    }

    /**
     * It puts a mask token in every masked place itself, so it follows either handling, and its last Linear
     * predicts any width; it predicts one patch per encoder token, so the encoder's output grid must be the
     * patch grid (not a Swin's coarser one).
     */
    @Override
    public void validate(Backbone backbone, MaskedTokens maskedTokens, int width) {
        check(backbone.outputGrid().equals(backbone.grid()),
                "a transformer decoder predicts one patch per encoder token, but %s gives a %s grid for a %s patch"
                        + " grid; use a linear pixel decoder", backbone.describe(), backbone.outputGrid().describe(),
                backbone.grid().describe());
        check(width >= 1, "a transformer decoder predicts %d values per patch; the target's width must be at least 1",
                width);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "transformer decoder %dx%d (%d heads)", width, depth, heads);
    }
}
