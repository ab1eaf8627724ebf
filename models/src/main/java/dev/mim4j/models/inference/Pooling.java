package dev.mim4j.models.inference;

import java.util.Locale;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.pytorch.Tensor;

/** How an encoder's tokens become one feature vector per image. */
public enum Pooling {

    /** The cls token after the encoder's final norm: MAE's linear-probe default. */
    CLS,

    /** The mean of the patch tokens after the encoder's final norm, without the cls token. */
    MEAN;

    /**
     * The pooling named {@code name}, case-insensitive ({@code cls}, {@code mean}).
     *
     * @throws Mim4jException naming the value and the accepted ones
     */
    public static Pooling named(String name) {
        for (Pooling pooling : values()) {
            if (pooling.name().equalsIgnoreCase(name)) {
                return pooling;
            }
        }
        throw new Mim4jException("pooling", "pooling '" + name + "' is not one of cls, mean");
    }

    /** Cls where the backbone has a cls token, else the mean: what {@code --pooling auto} picks. */
    public static Pooling defaultFor(Backbone backbone) {
        return backbone.prefixTokens() > 0 ? CLS : MEAN;
    }

    /**
     * Checks that {@code backbone}'s tokens can be pooled this way.
     *
     * @throws Mim4jException for cls pooling of a backbone with no cls token
     */
    public void check(Backbone backbone) {
        if (this == CLS && backbone.prefixTokens() == 0) {
            throw new Mim4jException("pooling", "pooling cls needs a cls token, but the encoder (" + backbone.describe()
                    + ") has none; use pooling mean");
        }
    }

    /** {@code [batch, prefix + tokens, width]} to {@code [batch, width]}, for a backbone of {@code prefixTokens}. */
    public Tensor pool(Tensor tokens, int prefixTokens) {
        return switch (this) {
            case CLS -> tokens.select(1, 0);
            case MEAN -> tokens.narrow(1, prefixTokens, tokens.size(1) - prefixTokens).mean(1);
        };
    }

    /** The lower-case name, as {@link #named} reads it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
