package dev.mim4j.training.eval;

import java.util.Locale;

/** How an encoder's tokens become one feature vector per image. */
public enum Pooling {

    /** The cls token after the encoder's final norm: MAE's linear-probe default. */
    CLS,

    /** The mean of the patch tokens after the encoder's final norm, without the cls token. */
    MEAN;

    /**
     * The pooling named {@code name}, case-insensitive ({@code cls}, {@code mean}).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Pooling named(String name) {
        for (Pooling pooling : values()) {
            if (pooling.name().equalsIgnoreCase(name)) {
                return pooling;
            }
        }
        throw new IllegalArgumentException("pooling '" + name + "' is not one of cls, mean");
    }

    /** The lower-case name, as {@link #named} reads it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
