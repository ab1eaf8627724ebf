package dev.mim4j.dsl.part;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.positive;

/**
 * timm's MLP ({@code fc1}, exact GELU, {@code fc2}) with a hidden width of {@code ratio} times the
 * token width, truncated like timm's {@code int(dim * mlp_ratio)}.
 *
 * @param ratio hidden width as a multiple of the token width
 */
public record GeluMlp(double ratio) implements MlpPart {

    public GeluMlp {
        positive("mlp ratio", ratio);
    }

    /** The hidden width for tokens of {@code width}. */
    public int hidden(int width) {
        return (int) (width * ratio);
    }

    @Override
    public void validate(int width) {
        check(hidden(width) >= 1, "mlp ratio %s gives %d hidden units for width %d; it must give at least 1",
                ratio, hidden(width), width);
    }

    @Override
    public String describe(int width) {
        return "mlp " + hidden(width);
    }
}
