package dev.mim4j.dsl;

import java.util.Arrays;
import java.util.Optional;

/**
 * The named ViT sizes of big_vision and timm as data, so that "B/16" means the same width,
 * depth and heads everywhere.
 */
public enum ViTVariant {
    TI("Ti", 192, 12, 3),
    S("S", 384, 12, 6),
    B("B", 768, 12, 12),
    L("L", 1024, 24, 16),
    H("H", 1280, 32, 16);

    private final String label;
    private final int width;
    private final int depth;
    private final int heads;

    ViTVariant(String label, int width, int depth, int heads) {
        this.label = label;
        this.width = width;
        this.depth = depth;
        this.heads = heads;
    }

    /** The name before the slash in a variant string, e.g. "Ti" or "B". */
    public String label() {
        return label;
    }

    public int width() {
        return width;
    }

    public int depth() {
        return depth;
    }

    public int heads() {
        return heads;
    }

    /** Every variant's MLP is four times as wide as its tokens. */
    public double mlpRatio() {
        return 4.0;
    }

    /** The variant with this exact label (case matters, as in big_vision), if any. */
    public static Optional<ViTVariant> byLabel(String label) {
        return Arrays.stream(values()).filter(v -> v.label.equals(label)).findFirst();
    }
}
