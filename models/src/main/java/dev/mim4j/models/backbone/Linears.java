package dev.mim4j.models.backbone;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;

/** Builds libtorch Linear layers with or without bias. */
public final class Linears {

    private Linears() {
    }

    /** A Linear from {@code in} to {@code out} features. */
    public static LinearImpl of(long in, long out, boolean bias) {
        LinearOptions options = new LinearOptions(in, out);
        options.bias().put(bias);
        return new LinearImpl(options);
    }
}
