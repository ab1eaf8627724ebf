package dev.mim4j.dsl;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.fraction;
import static dev.mim4j.dsl.SpecChecks.given;
import static dev.mim4j.dsl.SpecChecks.positive;
import static dev.mim4j.dsl.SpecChecks.zeroOrPositive;

/**
 * One pre-norm transformer block (attention, then MLP, each with a residual), the unit that
 * {@link ViT} repeats {@code depth} times with a growing drop path rate.
 *
 * @param width token width
 * @param heads attention heads; {@code width} must divide evenly among them
 * @param mlpRatio MLP hidden width as a multiple of {@code width}
 * @param qkvBias which biases the attention's q, k and v projections learn
 * @param layerScaleInit initial value of the per-channel layer scale, or 0 for no layer scale
 * @param dropPath probability of dropping the residual branches of a sample (stochastic depth)
 * @param normEps epsilon of both layer norms
 */
public record BlockSpec(
        int width,
        int heads,
        double mlpRatio,
        QkvBias qkvBias,
        double layerScaleInit,
        double dropPath,
        double normEps) {

    public BlockSpec {
        checkBlockOptions("block ", width, heads, mlpRatio, qkvBias, layerScaleInit, normEps);
        fraction("drop path", dropPath);
    }

    /** Width of one attention head. */
    public int headDim() {
        return width / heads;
    }

    /** Hidden width of the MLP, truncated like timm's {@code int(dim * mlp_ratio)}. */
    public int mlpHidden() {
        return (int) (width * mlpRatio);
    }

    /** Whether the residual branches are scaled by a learned per-channel factor (CaiT, BEiT). */
    public boolean hasLayerScale() {
        return layerScaleInit > 0;
    }

    /**
     * The checks that a {@link ViT} shares with its blocks; the prefix lets a ViT say "width" where
     * a lone block says "block width".
     */
    static void checkBlockOptions(
            String prefix,
            int width,
            int heads,
            double mlpRatio,
            QkvBias qkvBias,
            double layerScaleInit,
            double normEps) {
        atLeastOne(prefix + "width", width);
        atLeastOne(prefix + "heads", heads);
        check(width % heads == 0, "%swidth %d is not divisible by %d heads", prefix, width, heads);
        positive("mlp ratio", mlpRatio);
        int hidden = (int) (width * mlpRatio);
        check(hidden >= 1,
                "mlp ratio %s gives %d hidden units for width %d; it must give at least 1",
                mlpRatio, hidden, width);
        given("qkv bias", qkvBias);
        zeroOrPositive("layer scale init", layerScaleInit);
        positive("norm epsilon", normEps);
    }
}
