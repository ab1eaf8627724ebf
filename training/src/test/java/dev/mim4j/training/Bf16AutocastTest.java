package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bf16 autocast, optional on the CPU, trains and leaves the thread's autocast state as it found it. */
class Bf16AutocastTest {

    @Test
    void matrixProductsRunInBf16InsideTheScopeOnly() {
        dev.mim4j.models.Natives.threads(1);
        Device cpu = new Device("cpu");
        try (PointerScope scope = new PointerScope()) {
            try (Autocast autocast = Autocast.bf16(cpu, true)) {
                assertThat(Tensors.scalarType(torch.matmul(torch.randn(2, 3), torch.randn(3, 2))))
                        .isEqualTo(ScalarType.BFloat16);
            }
            assertThat(Tensors.scalarType(torch.matmul(torch.randn(2, 3), torch.randn(3, 2))))
                    .isEqualTo(ScalarType.Float);
        }
    }

    @Test
    void eachScopeSeesTheWeightsAsTheyAreNow() {
        dev.mim4j.models.Natives.threads(1);
        Device cpu = new Device("cpu");
        try (PointerScope scope = new PointerScope()) {
            Tensor weight = torch.ones(2, 2).set_requires_grad(true);
            Tensor input = torch.ones(1, 2);
            float first;
            try (Autocast autocast = Autocast.bf16(cpu, true)) {
                first = torch.linear(input, weight).sum().item_float();
            }
            try (NoGradGuard guard = new NoGradGuard()) {
                weight.mul_(new Scalar(3.0));
            }
            float second;
            try (Autocast autocast = Autocast.bf16(cpu, true)) {
                second = torch.linear(input, weight).sum().item_float();
            }
            assertThat(first).isEqualTo(4f);
            assertThat(second).as("not the cached bf16 copy of the old weight").isEqualTo(12f);
        }
    }

    @Test
    void aBf16RunOnTheCpuLearnsAndRestoresTheAutocastState(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(3).toBuilder().bf16(true).build();
        // forced, so that it is bf16 that is tested on a CPU without native bf16 too
        RunSummary summary = Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), dir)
                .machine(MachineSettings.defaults().withBf16Forced(true)).run();
        assertThat(summary.lastEpochLoss()).isFinite().isLessThan(summary.firstEpochLoss());
        assertThat(torch.is_autocast_enabled(DeviceType.CPU)).isFalse();
    }

    @Test
    void onACpuWithoutNativeBf16ABf16RunTrainsInFloat32UnlessForced(@TempDir Path dir) throws Exception {
        Path avx2Only = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n");
        String before = System.getProperty("mim4j.cpuinfo");
        System.setProperty("mim4j.cpuinfo", avx2Only.toString());
        try {
            List<Double> float32 = stepLosses(dir.resolve("float32"), false, false);
            assertThat(stepLosses(dir.resolve("asked"), true, false)).isEqualTo(float32);
            assertThat(stepLosses(dir.resolve("forced"), true, true)).isNotEqualTo(float32);
        } finally {
            if (before == null) {
                System.clearProperty("mim4j.cpuinfo");
            } else {
                System.setProperty("mim4j.cpuinfo", before);
            }
        }
    }

    private static List<Double> stepLosses(Path dir, boolean bf16, boolean forced) throws IOException {
        List<Double> losses = new ArrayList<>();
        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1).toBuilder().bf16(bf16).build(), TinyRuns.data(32), dir)
                .machine(MachineSettings.defaults().withThreads(1).withBf16Forced(forced))
                .listener(TinyRuns.stepLosses(losses, -1)).run();
        return losses;
    }
}
