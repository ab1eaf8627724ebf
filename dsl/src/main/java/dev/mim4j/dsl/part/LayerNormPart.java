package dev.mim4j.dsl.part;

import static dev.mim4j.dsl.SpecChecks.positive;

/**
 * Layer normalisation over the token width ({@code weight}, {@code bias}), as in every official
 * ViT.
 *
 * @param eps added to the variance
 */
public record LayerNormPart(double eps) implements NormPart {

    public LayerNormPart {
        positive("norm epsilon", eps);
    }

    @Override
    public String describe() {
        return "layer norm eps " + eps;
    }
}
