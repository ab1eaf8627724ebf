package dev.mim4j.models.vit;

import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LayerNormOptions;
import org.bytedeco.pytorch.LongVector;

/** Builds libtorch LayerNorms over the last dimension, the only kind a transformer uses. */
public final class LayerNorms {

    private LayerNorms() {
    }

    /** A LayerNorm over a last dimension of size {@code width}. */
    public static LayerNormImpl over(long width, double eps) {
        // new LongVector(width) would be `width` zeros: pass an array to get the one-element vector.
        LayerNormOptions options = new LayerNormOptions(new LongVector(new long[] {width}));
        options.eps().put(eps);
        return new LayerNormImpl(options);
    }
}
