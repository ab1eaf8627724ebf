package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** LARS steps as computed by hand. */
class LarsTest {

    /**
     * Weight (3, 4), norm 5, gradient (0.6, 0.8), norm 1: the update is the gradient times the trust
     * ratio 0.001 * 5 / 1 = 0.005, so (0.003, 0.004), and at lr 0.1 the weight moves by (-0.0003, -0.0004).
     * The bias, a vector, moves by the plain gradient: 1 - 0.1 * 0.5 = 0.95.
     */
    @Test
    void oneStepScalesMatricesByTheTrustRatioAndLeavesVectorsAlone() {
        Natives.threads(1);
        Tensor weight = Tensors.floats(new float[] {3, 4}, 1, 2);
        Tensor bias = Tensors.floats(new float[] {1}, 1);
        weight.set_requires_grad(true);
        bias.set_requires_grad(true);
        Lars lars = Lars.mae(List.of(weight, bias), 0.0);
        step(lars, weight, bias, new float[] {0.6f, 0.8f}, 0.5f, 0.1);
        assertClose(weight, 3 - 0.0003, 4 - 0.0004);
        assertClose(bias, 0.95);
    }

    /**
     * With weight decay 0.1 the update is g + 0.1 w = (0.9, 1.2), norm 1.5, times 0.001 * 5 / 1.5: again
     * (0.003, 0.004). A second step with the same gradient adds momentum: mu = 0.9 * mu + d.
     */
    @Test
    void weightDecayEntersTheTrustRatioAndMomentumAccumulates() {
        Natives.threads(1);
        Tensor weight = Tensors.floats(new float[] {3, 4}, 1, 2);
        Tensor bias = Tensors.floats(new float[] {1}, 1);
        weight.set_requires_grad(true);
        bias.set_requires_grad(true);
        Lars lars = Lars.mae(List.of(weight, bias), 0.1);
        step(lars, weight, bias, new float[] {0.6f, 0.8f}, 0.5f, 0.1);
        assertClose(weight, 3 - 0.0003, 4 - 0.0004);
        assertClose(bias, 0.95);

        double w0 = 3 - 0.0003;
        double w1 = 4 - 0.0004;
        double d0 = 0.6 + 0.1 * w0;
        double d1 = 0.8 + 0.1 * w1;
        double ratio = 0.001 * Math.hypot(w0, w1) / Math.hypot(d0, d1);
        step(lars, weight, bias, new float[] {0.6f, 0.8f}, 0.5f, 0.05);
        assertClose(weight, w0 - 0.05 * (0.9 * 0.003 + ratio * d0), w1 - 0.05 * (0.9 * 0.004 + ratio * d1));
        assertClose(bias, 0.95 - 0.05 * (0.9 * 0.5 + 0.5));
    }

    private static void step(Lars lars, Tensor weight, Tensor bias, float[] weightGrad, float biasGrad, double lr) {
        try (PointerScope scope = new PointerScope()) {
            lars.zeroGrad();
            // the loss sum(w * g) has gradient g
            weight.mul(Tensors.floats(weightGrad, 1, 2)).sum().add(bias.mul(Tensors.floats(new float[] {biasGrad}, 1))
                    .sum()).backward();
            lars.step(lr);
        }
    }

    private static void assertClose(Tensor tensor, double... expected) {
        float[] actual = Tensors.toFloats(tensor);
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element " + i).isCloseTo(expected[i], within(1e-6));
        }
    }
}
