package dev.mim4j.models.layout;

import dev.mim4j.dsl.Mim4jException;

/**
 * Where one of a checkpoint's tensors goes in an encoder: the encoder's tensor {@code name}, whole
 * ({@code parts} 1) or as part {@code part} of {@code parts} equal slices along its first dimension (Hugging
 * Face's query, key and value of a fused qkv are parts 0, 1 and 2).
 */
public record Slot(String name, int part, int parts) {

    public Slot {
        if (parts < 1 || part < 0 || part >= parts) {
            throw new Mim4jException("part", "slot part " + part + " of " + parts + ": needs 0 <= part < parts");
        }
    }

    /** The whole tensor {@code name}. */
    public static Slot whole(String name) {
        return new Slot(name, 0, 1);
    }
}
