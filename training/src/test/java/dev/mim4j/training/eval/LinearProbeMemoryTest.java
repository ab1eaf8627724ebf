package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mim4j.models.ResidentMemory;
import org.junit.jupiter.api.Test;

/** The linear probe's native memory stays flat over many steps. */
class LinearProbeMemoryTest {

    @Test
    void residentMemoryIsFlatOverAThousandSteps() {
        Features train = Clusters.noise(10, 4000, 256, 21);
        Features test = Clusters.noise(10, 500, 256, 22);
        long[] rss = new long[2];
        // 125 steps an epoch; measured after epochs 2 and 12
        LinearProbe.train(train, test, 10, new LinearProbeConfig(12, 32, 0.1, 1, 0, 0), e -> {
            if (e.epoch() == 1) {
                rss[0] = ResidentMemory.outsideJvmHeaps();
            }
            if (e.epoch() == 11) {
                rss[1] = ResidentMemory.outsideJvmHeaps();
            }
        });
        // Each step makes about 100 kB of tensors; without the per-step scope, 1,250 steps keep over 100 MB.
        assertThat(rss[1] - rss[0]).as("native resident growth over 1,250 steps, bytes").isLessThan(32L << 20);
    }
}
