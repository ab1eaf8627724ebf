package dev.mim4j.models.vit;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;

/** Builds libtorch Linear layers with or without bias. */
final class Linears {

    private Linears() {
    }

    static LinearImpl of(long in, long out, boolean bias) {
        LinearOptions options = new LinearOptions(in, out);
        options.bias().put(bias);
        return new LinearImpl(options);
    }
}
