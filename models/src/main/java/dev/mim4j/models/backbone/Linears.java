package dev.mim4j.models.backbone;

import dev.mim4j.models.parts.ConstructionDevice;
import dev.mim4j.models.parts.Linear;

/** Builds Linear layers with or without bias. */
public final class Linears {

    private Linears() {
    }

    /** A Linear from {@code in} to {@code out} features, whose parameters follow a {@link ConstructionDevice}. */
    public static Linear of(long in, long out, boolean bias) {
        return new Linear(in, out, bias);
    }
}
