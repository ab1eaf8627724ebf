package dev.mim4j.samples.examples.maskfeat;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MaskedTokens;

/**
 * MaskFeat's head: one linear layer from each output token to that patch's target, of whatever width the target
 * has. It sees one token per patch, so it follows an encoder that replaces masked tokens and keeps one token per
 * patch to its output (a ViT, not a Swin, which merges patches).
 */
public record LinearHead() implements Decoder {

    @Override
    public void validate(Backbone backbone, MaskedTokens maskedTokens, int width) {
        if (maskedTokens == MaskedTokens.DROP) {
            throw new SpecException("a linear head cannot follow an encoder that drops the masked tokens: it"
                    + " predicts each patch from that patch's token alone, and a dropped patch has none; replace"
                    + " masked tokens with a mask token");
        }
        TokenGrid grid = backbone.grid();
        TokenGrid output = backbone.outputGrid();
        if (output.rows() != grid.rows() || output.columns() != grid.columns()) {
            throw new SpecException("a linear head predicts one patch per output token, but the backbone turns its "
                    + grid.rows() + "x" + grid.columns() + " patches into " + output.rows() + "x"
                    + output.columns() + " tokens; use a ViT");
        }
    }

    @Override
    public String describe() {
        return "linear head";
    }
}
