package dev.mim4j.samples.examples.ownparts;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.positive;

import dev.mim4j.dsl.part.MlpPart;

/**
 * A block part that mim4j does not have, written as a user would: the SwiGLU feed-forward of
 * PaLM and LLaMA, {@code fc2(silu(x W) * (x V))}, with a hidden width of {@code ratio} times the
 * token width ({@code 8/3} keeps the parameter count of a GELU MLP of ratio 4). Its compiled form is
 * {@link SwiGluModule}.
 *
 * @param ratio hidden width as a multiple of the token width
 */
public record SwiGluMlp(double ratio) implements MlpPart {

    public SwiGluMlp {
        positive("swiglu ratio", ratio);
    }

    /** The hidden width for tokens of {@code width}. */
    public int hidden(int width) {
        return (int) (width * ratio);
    }

    @Override
    public void validate(int width) {
        check(hidden(width) >= 1, "swiglu ratio %s gives no hidden unit for width %d", ratio, width);
    }

    @Override
    public String describe(int width) {
        return "swiglu mlp " + hidden(width);
    }
}
