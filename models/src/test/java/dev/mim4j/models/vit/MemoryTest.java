package dev.mim4j.models.vit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.randn;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.models.Natives;
import dev.mim4j.models.ResidentMemory;
import dev.mim4j.models.backbone.VisionTransformer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Native memory must stay flat over many training-like steps when each step runs in a PointerScope. */
class MemoryTest {

    @ParameterizedTest(name = "relative bias {0}")
    @ValueSource(booleans = {false, true})
    void residentMemoryStaysFlatOverManyForwardBackwardPasses(boolean relative) {
        Natives.threads(1);
        ViT.Builder spec = ViT.builder().image(32, 32, 3).patchSize(8).width(64).depth(2).heads(4);
        if (relative) {
            spec.qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1).absolutePosition(AbsolutePosition.NONE)
                    .relativePosition(RelativePosition.SHARED_BIAS);
        }
        VisionTransformer vit = VisionTransformer.compile(spec.build());
        vit.train(true);
        for (int i = 0; i < 50; i++) {
            step(vit);
        }
        long before = ResidentMemory.outsideJvmHeaps();
        for (int i = 0; i < 1500; i++) {
            step(vit);
        }
        long growth = ResidentMemory.outsideJvmHeaps() - before;
        // One step allocates ~1 MB of tensors, so 1500 leaked steps would add well over 1 GB.
        assertThat(growth).as("resident memory growth in bytes over 1500 steps").isLessThan(48L << 20);
    }

    private static void step(VisionTransformer vit) {
        try (PointerScope scope = new PointerScope()) {
            Tensor loss = vit.encode(randn(4, 3, 32, 32)).pow(new Scalar(2.0)).mean();
            vit.zero_grad(true);
            loss.backward();
        }
    }
}
