package dev.mim4j.training.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer-wise learning-rate decay as in BEiT and MAE's fine-tuning: the embeddings are layer 0,
 * block {@code i} is layer {@code i + 1}, everything after the blocks (and, as in BEiT, the shared
 * relative position bias) is layer {@code depth + 1}, and layer {@code l} learns at
 * {@code decay^(depth + 1 - l)} times the rate.
 */
public final class LayerDecay {

    private LayerDecay() {
    }

    /**
     * @param names parameter names of a {@link Classifier} ({@code encoder.blocks.3...}, {@code head...})
     */
    public static Map<String, Double> scales(Iterable<String> names, int depth, double decay) {
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("layer decay " + decay + " must be in (0, 1]");
        }
        Map<String, Double> scales = new LinkedHashMap<>();
        for (String name : names) {
            scales.put(name, Math.pow(decay, depth + 1 - layer(name, depth)));
        }
        return scales;
    }

    static int layer(String name, int depth) {
        String local = name.startsWith("encoder.") ? name.substring("encoder.".length()) : name;
        if (local.startsWith("blocks.")) {
            return Integer.parseInt(local.split("\\.")[1]) + 1;
        }
        if (local.startsWith("cls_token") || local.startsWith("pos_embed") || local.startsWith("patch_embed")
                || local.startsWith("mask_token")) {
            return 0;
        }
        return depth + 1;
    }
}
