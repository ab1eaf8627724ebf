package dev.mim4j.samples.examples.ownparts;

import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.openFraction;
import static dev.mim4j.dsl.SpecChecks.positive;

import java.util.random.RandomGenerator;

import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.recipe.Masking;

/**
 * A masking policy that mim4j does not have, written as a user would: {@code ratio} of the patches
 * are masked, drawn without replacement with weights that fall off as a Gaussian of the distance
 * from the image centre, so objects in the middle are hidden more often than the background. The
 * count is the same in every image, so MAE's encoder can drop the masked tokens.
 *
 * @param ratio fraction of the patches to mask, in (0, 1)
 * @param sigma the Gaussian's width as a fraction of the image's half-diagonal
 */
public record CentreBiasedMasking(double ratio, double sigma) implements Masking {

    public CentreBiasedMasking {
        openFraction("centre-biased mask ratio", ratio);
        positive("centre-biased sigma", sigma);
    }

    /** Patches masked out of {@code tokens}, rounded up. */
    public int masked(int tokens) {
        return (int) Math.ceil(tokens * ratio);
    }

    @Override
    public void validate(TokenGrid grid) {
        check(masked(grid.tokens()) < grid.tokens(), "centre-biased mask ratio %s masks every one of %d patches",
                ratio, grid.tokens());
    }

    /**
     * Efraimidis and Spirakis' weighted draw without replacement: each patch gets the key
     * {@code u^(1 / w)} for a uniform {@code u}, and the largest keys are masked.
     */
    @Override
    public boolean[] sample(TokenGrid grid, RandomGenerator random) {
        int tokens = grid.tokens();
        double centreRow = (grid.rows() - 1) / 2.0;
        double centreColumn = (grid.columns() - 1) / 2.0;
        double halfDiagonal = Math.max(1e-9, Math.hypot(centreRow, centreColumn));
        double[] keys = new double[tokens];
        for (int t = 0; t < tokens; t++) {
            double distance = Math.hypot(t / grid.columns() - centreRow, t % grid.columns() - centreColumn) / halfDiagonal;
            double weight = Math.exp(-distance * distance / (2 * sigma * sigma));
            keys[t] = Math.pow(random.nextDouble(), 1 / weight);
        }
        boolean[] mask = new boolean[tokens];
        for (int n = 0; n < masked(tokens); n++) {
            int best = -1;
            for (int t = 0; t < tokens; t++) {
                if (!mask[t] && (best < 0 || keys[t] > keys[best])) {
                    best = t;
                }
            }
            mask[best] = true;
        }
        return mask;
    }

    @Override
    public String describe() {
        return "centre-biased patches " + ratio + " (sigma " + sigma + ")";
    }
}
