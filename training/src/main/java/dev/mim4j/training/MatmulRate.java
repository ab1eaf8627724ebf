package dev.mim4j.training;

import static org.bytedeco.pytorch.global.torch.matmul;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.Arrays;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Natives;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The machine's matrix-product rate in this libtorch, fp32 or bf16: what a step's speed is measured against
 * (a step's analytic FLOPs over its time, as a fraction of this rate).
 */
public final class MatmulRate {

    private MatmulRate() {
    }

    /**
     * The median GFLOP/s of {@code size}³ products ({@code 2 size³} FLOPs each) over 5 timed runs after 2, on
     * {@code threads} intra-op threads, in bf16 when {@code bf16}.
     *
     * @throws IllegalArgumentException if {@code size} or {@code threads} is below 1
     */
    public static double gigaflops(int size, boolean bf16, int threads) {
        if (size < 1 || threads < 1) {
            throw new Mim4jException("matmul", "a matmul of size " + size + " on " + threads + " threads: both must be"
                    + " at least 1");
        }
        Natives.threads(threads);
        double[] seconds = new double[5];
        try (PointerScope scope = new PointerScope()) {
            Tensor a = randn(size, size);
            Tensor b = randn(size, size);
            if (bf16) {
                a = a.to(ScalarType.BFloat16);
                b = b.to(ScalarType.BFloat16);
            }
            for (int i = -2; i < seconds.length; i++) {
                try (PointerScope step = new PointerScope()) {
                    long start = System.nanoTime();
                    matmul(a, b);
                    if (i >= 0) {
                        seconds[i] = (System.nanoTime() - start) / 1e9;
                    }
                }
            }
        }
        Arrays.sort(seconds);
        return 2.0 * size * size * size / seconds[seconds.length / 2] / 1e9;
    }
}
