package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The probe head's BatchNorm: batch statistics in training, running statistics in evaluation. */
class ProbeHeadTest {

    /** One feature over a batch of four: 1, 2, 3, 6 (mean 3, biased variance 3.5, unbiased 14 / 3). */
    private static final float[] BATCH = {1, 2, 3, 6};

    @Test
    void inTrainingABatchIsStandardisedAndTheRunningStatisticsMove() {
        Natives.threads(1);
        ProbeHead head = new ProbeHead(1, 2);
        head.train(true);
        BatchNorm1dImpl norm = head.norm();
        try (PointerScope scope = new PointerScope()) {
            float[] out = Tensors.toFloats(norm.forward(Tensors.floats(BATCH, 4, 1)));
            for (int i = 0; i < 4; i++) {
                assertThat((double) out[i]).isCloseTo((BATCH[i] - 3) / Math.sqrt(3.5 + 1e-6), within(1e-5));
            }
            double mean = (out[0] + out[1] + out[2] + out[3]) / 4;
            double variance = 0;
            for (float v : out) {
                variance += (v - mean) * (v - mean) / 4;
            }
            assertThat(mean).isCloseTo(0, within(1e-6));
            assertThat(variance).isCloseTo(1, within(1e-5));
            assertThat(Tensors.toFloats(norm.running_mean())[0]).isCloseTo(0.1f * 3, within(1e-6f));
            assertThat(Tensors.toFloats(norm.running_var())[0]).isCloseTo(0.9f + 0.1f * 14 / 3f, within(1e-6f));
        }
    }

    @Test
    void inEvaluationTheRunningStatisticsAreUsed() {
        Natives.threads(1);
        ProbeHead head = new ProbeHead(1, 2);
        head.train(true);
        try (PointerScope scope = new PointerScope()) {
            head.norm().forward(Tensors.floats(BATCH, 4, 1));
            head.train(false);
            try (NoGradGuard guard = new NoGradGuard()) {
                Tensor out = head.norm().forward(Tensors.floats(new float[] {5}, 1, 1));
                double runningVariance = 0.9 + 0.1 * 14 / 3.0;
                assertThat((double) Tensors.toFloats(out)[0])
                        .isCloseTo((5 - 0.3) / Math.sqrt(runningVariance + 1e-6), within(1e-5));
            }
        }
    }

    @Test
    void theNormHasNoAffineParametersAndTheLinearStartsSmall() {
        Natives.threads(1);
        ProbeHead head = new ProbeHead(64, 10);
        assertThat(head.norm().options().affine().get()).isFalse();
        assertThat(head.norm().options().eps().get()).isEqualTo(ProbeHead.NORM_EPS);
        assertThat(head.trainable()).hasSize(2);
        float[] weight = Tensors.toFloats(head.trainable().get(0));
        float[] bias = Tensors.toFloats(head.trainable().get(1));
        double sumOfSquares = 0;
        for (float w : weight) {
            assertThat(Math.abs(w)).isLessThanOrEqualTo(2f);
            sumOfSquares += w * w;
        }
        assertThat(Math.sqrt(sumOfSquares / weight.length)).isCloseTo(ProbeHead.WEIGHT_STD, within(0.002));
        assertThat(bias).containsOnly(0f);
        assertThat(head.named_parameters(true).size()).as("only the Linear's weight and bias").isEqualTo(2);
    }
}
