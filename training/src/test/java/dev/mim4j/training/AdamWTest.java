package dev.mim4j.training;

import static dev.mim4j.training.TensorChecks.assertAllClose;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.Map;

import dev.mim4j.models.Natives;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** mim4j's AdamW, whose state it can checkpoint, steps exactly as libtorch's own AdamW does. */
class AdamWTest {

    @Test
    void matchesLibtorchAdamW() {
        Natives.threads(1);
        torch.manual_seed(3);
        Tensor a = randn(4, 3).set_requires_grad(true);
        Tensor b = a.detach().clone().set_requires_grad(true);
        AdamW ours = new AdamW(new ParameterGroups(Map.of("w", a), Map.of()), 0.9, 0.95, 1e-8, 0.05);
        AdamWOptions options = new AdamWOptions(1e-2);
        // betas() points at a std::tuple<double, double>, which libstdc++ lays out last element first
        options.betas().put(0, 0.95).put(1, 0.9);
        options.weight_decay().put(0.05);
        options.eps().put(1e-8);
        org.bytedeco.pytorch.AdamW theirs = new org.bytedeco.pytorch.AdamW(new TensorVector(b), options);
        for (int step = 0; step < 5; step++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor target = randn(4, 3);
                ours.zeroGrad();
                a.sub(target).pow(new Scalar(2.0)).sum().backward();
                ours.step(1e-2);
                theirs.zero_grad();
                b.sub(target).pow(new Scalar(2.0)).sum().backward();
                theirs.step();
            }
        }
        assertAllClose(a, b, 1e-6);
    }
}
