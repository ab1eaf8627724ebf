package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.Tensor;

/** Small tensor assertions for the training tests. */
final class TensorChecks {

    private TensorChecks() {
    }

    static void assertAllClose(Tensor actual, Tensor expected, double tolerance) {
        assertThat(Tensors.shape(actual)).containsExactly(Tensors.shape(expected));
        float[] a = Tensors.toFloats(actual);
        float[] e = Tensors.toFloats(expected);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element " + i).isCloseTo(e[i], within(tolerance));
        }
    }
}
