package dev.mim4j.models.mim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.SplittableRandom;

import dev.mim4j.models.Natives;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/**
 * libtorch calls the virtual methods of Java-made modules (containers included) back through their
 * Java objects: a model must keep every one of them reachable, or a call such as {@code train(false)}
 * after a garbage collection fails in native code.
 */
class JavaPeersTest {

    @Test
    void aModelStillSwitchesModesAndRunsAfterGarbageCollections() {
        Natives.threads(1);
        MimModel model = MimModel.compile(OfficialParityTest.MAE);
        for (int i = 0; i < 5; i++) {
            byte[][] garbage = new byte[2000][];
            for (int j = 0; j < garbage.length; j++) {
                garbage[j] = new byte[10_000];
            }
            System.gc();
        }
        model.train(false);
        model.train(true);
        try (PointerScope scope = new PointerScope()) {
            assertThat(model.forward(randn(2, 3, 32, 32), new SplittableRandom(1)).loss().item_float()).isFinite();
        }
        assertThat(model.is_training()).isTrue();
    }
}
