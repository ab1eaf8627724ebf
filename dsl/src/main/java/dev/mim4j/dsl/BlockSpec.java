package dev.mim4j.dsl;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.fraction;
import static dev.mim4j.dsl.SpecChecks.given;
import static dev.mim4j.dsl.SpecChecks.zeroOrPositive;

import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;

/**
 * One pre-norm transformer block ({@code x + attention(norm1(x))}, then {@code x + mlp(norm2(x))}),
 * the unit that {@link ViT} repeats {@code depth} times with a growing drop path rate. Its three
 * parts are open: any {@link AttentionPart}, {@link MlpPart} and {@link NormPart} fit.
 *
 * @param width token width
 * @param heads attention heads
 * @param attention the token-mixing part
 * @param mlp the feed-forward part
 * @param norm the normalisation before each part
 * @param layerScaleInit initial value of the per-channel layer scale, or 0 for no layer scale
 * @param dropPath probability of dropping the residual branches of a sample (stochastic depth)
 */
public record BlockSpec(
        int width,
        int heads,
        AttentionPart attention,
        MlpPart mlp,
        NormPart norm,
        double layerScaleInit,
        double dropPath) {

    public BlockSpec {
        checkBlockOptions(width, heads, attention, mlp, norm, layerScaleInit);
        fraction("drop path", dropPath);
    }

    /** Width of one attention head. */
    public int headDim() {
        return width / heads;
    }

    /** Whether the residual branches are scaled by a learned per-channel factor (CaiT, BEiT). */
    public boolean hasLayerScale() {
        return layerScaleInit > 0;
    }

    /** The checks that a {@link ViT} shares with its blocks. */
    static void checkBlockOptions(int width, int heads, AttentionPart attention, MlpPart mlp, NormPart norm,
            double layerScaleInit) {
        atLeastOne("width", width);
        atLeastOne("heads", heads);
        given("attention", attention).validate(width, heads);
        given("mlp", mlp).validate(width);
        given("norm", norm);
        zeroOrPositive("layer scale init", layerScaleInit);
    }
}
