package dev.mim4j.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.mim4j.dsl.Mim4jException;

/**
 * What an optimiser needs to know of a module's parameters beyond their shapes: which are tokens
 * or position tables (decayed by MAE, exempt in SimMIM and in fine-tuning), and which layer each
 * belongs to for layer-wise learning-rate decay, numbered as BEiT does: embeddings 0, the {@code i}-th
 * block (counted from 1) {@code i}, what follows the blocks {@code layers - 1}.
 *
 * @param tokens names of the token-like parameters
 * @param layerIds the layer of every parameter
 * @param layers the number of layers, {@code depth + 2}
 */
public record ParameterRoles(Set<String> tokens, Map<String, Integer> layerIds, int layers) {

    public ParameterRoles {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(layerIds, "layerIds");
        tokens = ImmutableSet.copyOf(tokens);
        layerIds = ImmutableMap.copyOf(layerIds);
        if (layers < 1) {
            throw new Mim4jException("layers", "layers " + layers + " must be at least 1");
        }
        layerIds.forEach((name, layer) -> {
            if (layer < 0 || layer >= layers) {
                throw new Mim4jException("layers", "layer " + layer + " of " + name + " is not in [0, " + layers + ")");
            }
        });
    }

    /** These roles with every name under {@code prefix} (e.g. {@code "encoder."}), for a module that holds this one. */
    public ParameterRoles under(String prefix) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        layerIds.forEach((name, layer) -> ids.put(prefix + name, layer));
        return new ParameterRoles(tokens.stream().map(name -> prefix + name).collect(ImmutableSet.toImmutableSet()),
                ids, layers);
    }

    /** Whether {@code name} is a token or position table. */
    public boolean isToken(String name) {
        return tokens.contains(name);
    }

    /**
     * The layer of {@code name}; a parameter the encoder does not know (a head added on top) is in the
     * last layer.
     */
    public int layerOf(String name) {
        return layerIds.getOrDefault(name, layers - 1);
    }

    /** These roles together with {@code other}'s (a decoder's tokens, say), keeping this one's layers. */
    public ParameterRoles with(ParameterRoles other) {
        return new ParameterRoles(ImmutableSet.<String>builder().addAll(tokens).addAll(other.tokens).build(),
                layerIds, layers);
    }
}
