package dev.mim4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;

/** AssertJ-style checks of tensors: shape, and closeness to an expected tensor with the worst element named. */
public final class TensorAssert {

    private TensorAssert() {
    }

    public static void assertShape(Tensor actual, long... shape) {
        assertThat(Tensors.shape(actual)).as("shape").containsExactly(shape);
    }

    /** Passes when every element satisfies {@code |a - e| <= atol + rtol * |e|}. */
    public static void assertClose(String what, Tensor actual, Tensor expected, double rtol, double atol) {
        assertThat(Tensors.shape(actual)).as(what + " shape").containsExactly(Tensors.shape(expected));
        float[] a = Tensors.toFloats(actual);
        float[] e = Tensors.toFloats(expected);
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            double allowed = atol + rtol * Math.abs(e[i]);
            if (!(diff <= allowed) && (worst < 0 || diff - allowed > worstExcess)) {
                worst = i;
                worstExcess = diff - allowed;
            }
        }
        if (worst >= 0) {
            fail(what + " differs at flat index " + worst + " of shape " + Arrays.toString(Tensors.shape(expected))
                    + ": actual " + a[worst] + ", expected " + e[worst] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    /** Exact equality of values and shape. */
    public static void assertEqual(String what, Tensor actual, Tensor expected) {
        assertClose(what, actual, expected, 0, 0);
    }
}
