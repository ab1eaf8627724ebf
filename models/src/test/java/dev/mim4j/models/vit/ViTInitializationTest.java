package dev.mim4j.models.vit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.ViT;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ViTInitializationTest {

    static final ViT SMALL = ViT.builder().image(32, 32, 3).patchSize(4).width(192).depth(3).heads(3).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
        torch.manual_seed(7);
    }

    @Test
    void maeInitialisesLinearsXavierUniformAndTokensNormal() {
        Map<String, Tensor> vit = StateDict.of(VisionTransformer.compile(SMALL));
        // the fused qkv is one 576 x 192 matrix: bound sqrt(6 / (192 + 576))
        assertUniform(vit.get("blocks.1.attn.qkv.weight"), Math.sqrt(6.0 / (192 + 576)));
        assertUniform(vit.get("blocks.1.mlp.fc1.weight"), Math.sqrt(6.0 / (192 + 768)));
        assertThat(stats(vit.get("blocks.1.attn.qkv.bias"))[2]).as("qkv bias").isZero();
        // the patch convolution like a Linear of 3*4*4 = 48 inputs
        assertUniform(vit.get("patch_embed.proj.weight"), Math.sqrt(6.0 / (48 + 192)));
        double[] cls = stats(vit.get("cls_token"));
        assertThat(cls[1]).as("cls std").isCloseTo(0.02, within(0.006));
        assertThat(vit.get("pos_embed").requires_grad()).as("sin-cos positions are frozen").isFalse();
    }

    @Test
    void beitInitialisesTruncatedNormalAndRescalesTheResidualProjections() {
        Map<String, Tensor> vit = StateDict.of(VisionTransformer.compile(SMALL.toBuilder()
                .initialization(Initialization.TRUNC_NORMAL).qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1).build()));
        for (int i = 0; i < 3; i++) {
            String block = "blocks." + i + ".";
            double[] qkv = stats(vit.get(block + "attn.qkv.weight"));
            assertThat(qkv[1]).as("qkv std").isCloseTo(0.02, within(0.001));
            double expected = 0.02 / Math.sqrt(2.0 * (i + 1));
            assertThat(stats(vit.get(block + "attn.proj.weight"))[1]).as("proj std, block " + i)
                    .isCloseTo(expected, within(expected * 0.08));
            assertThat(stats(vit.get(block + "mlp.fc2.weight"))[1]).as("fc2 std, block " + i)
                    .isCloseTo(expected, within(expected * 0.05));
        }
        assertThat(stats(vit.get("blocks.0.attn.proj.bias"))[2]).as("biases start at zero").isZero();
    }

    private static void assertUniform(Tensor weight, double bound) {
        double[] s = stats(weight);
        assertThat(s[2]).as("max |w|").isLessThanOrEqualTo(bound).isGreaterThan(bound * 0.98);
        assertThat(s[1]).as("std of U(-b, b) is b / sqrt 3").isCloseTo(bound / Math.sqrt(3), within(bound * 0.02));
    }

    /** mean, standard deviation, max |x|. */
    private static double[] stats(Tensor t) {
        float[] v = Tensors.toFloats(t);
        double sum = 0;
        double max = 0;
        for (float x : v) {
            sum += x;
            max = Math.max(max, Math.abs(x));
        }
        double mean = sum / v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(var / v.length), max};
    }
}
