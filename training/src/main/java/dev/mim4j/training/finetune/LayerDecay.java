package dev.mim4j.training.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.ParameterRoles;

/**
 * Layer-wise learning-rate decay as in BEiT and MAE's fine-tuning: with the layers the encoder
 * declares ({@link ParameterRoles#layerOf}: embeddings 0, block {@code i} is {@code i}, what follows
 * the blocks, and a head on top, the last), layer {@code l} of {@code L} learns at
 * {@code decay^(L - 1 - l)} times the rate.
 */
public final class LayerDecay {

    private LayerDecay() {
    }

    /**
     * @param names the parameters to scale
     * @param roles their layers, under the same names
     */
    public static Map<String, Double> scales(Iterable<String> names, ParameterRoles roles, double decay) {
        check(decay);
        Map<String, Double> scales = new LinkedHashMap<>();
        for (String name : names) {
            scales.put(name, Math.pow(decay, roles.layers() - 1 - roles.layerOf(name)));
        }
        return scales;
    }

    /**
     * @throws IllegalArgumentException unless {@code decay} is in (0, 1]
     */
    public static void check(double decay) {
        if (!(decay > 0 && decay <= 1)) {
            throw new Mim4jException("layer decay", "layer decay " + decay + " must be in (0, 1]");
        }
    }
}
