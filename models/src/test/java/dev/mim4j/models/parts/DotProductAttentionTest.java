package dev.mim4j.models.parts;

import static dev.mim4j.models.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.manual_seed;
import static org.bytedeco.pytorch.global.torch.matmul;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.randn;
import static org.bytedeco.pytorch.global.torch.softmax;

import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class DotProductAttentionTest {

    /** softmax(q kᵀ / √d + bias) v in float64, the definition both kernels are held to. */
    private static Tensor definition(Tensor q, Tensor k, Tensor v, Tensor bias) {
        Tensor logits = matmul(q.to(ScalarType.Double), k.to(ScalarType.Double).transpose(-2, -1))
                .div(new Scalar(Math.sqrt(q.size(-1))));
        if (bias != null) {
            logits = logits.add(bias.to(ScalarType.Double));
        }
        return matmul(softmax(logits, -1), v.to(ScalarType.Double));
    }

    @Test
    void inFloatItIsTheDefinition() {
        try (PointerScope scope = new PointerScope()) {
            manual_seed(3);
            Tensor q = randn(2, 3, 7, 8);
            Tensor k = randn(2, 3, 7, 8);
            Tensor v = randn(2, 3, 7, 8);
            Tensor bias = randn(3, 7, 7).unsqueeze(0);
            assertClose("no bias", DotProductAttention.attend(q, k, v, null).to(ScalarType.Double),
                    definition(q, k, v, null), 1e-5, 1e-6);
            assertClose("with a bias", DotProductAttention.attend(q, k, v, bias).to(ScalarType.Double),
                    definition(q, k, v, bias), 1e-5, 1e-6);
        }
    }

    @Test
    void inBf16ItsGradientsAreTheDefinitionsToBf16Precision() {
        try (PointerScope scope = new PointerScope()) {
            manual_seed(5);
            Tensor[] exact = new Tensor[3];
            Tensor[] bf16 = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                Tensor drawn = randn(2, 3, 7, 8).to(ScalarType.BFloat16);
                bf16[i] = drawn.detach().requires_grad_(true);
                exact[i] = drawn.to(ScalarType.Double).requires_grad_(true);
            }
            Tensor weights = randn(2, 3, 7, 8).to(ScalarType.Double);
            DotProductAttention.attend(bf16[0], bf16[1], bf16[2], null).to(ScalarType.Double).mul(weights).sum()
                    .backward();
            definition(exact[0], exact[1], exact[2], null).mul(weights).sum().backward();
            for (int i = 0; i < 3; i++) {
                assertClose("the gradient of " + "qkv".charAt(i), bf16[i].grad().to(ScalarType.Double),
                        exact[i].grad(), 5e-2, 5e-2);
            }
        }
    }

    @Test
    void aBooleanMaskIsRefusedForAnAdditiveBias() {
        try (PointerScope scope = new PointerScope()) {
            Tensor q = randn(1, 1, 3, 4);
            Tensor keep = ones(new long[] {3, 3}, new TensorOptions(ScalarType.Bool));
            assertThatThrownBy(() -> DotProductAttention.attend(q, q, q, keep))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the attention's logit bias is of type Bool, not floating point: give additive values"
                            + " (0 to keep, -100 or so to mask) instead of a mask");
        }
    }

    @Test
    void inBf16ItIsTheDefinitionToBf16Precision() {
        try (PointerScope scope = new PointerScope()) {
            manual_seed(4);
            Tensor q = randn(2, 3, 7, 8).to(ScalarType.BFloat16);
            Tensor k = randn(2, 3, 7, 8).to(ScalarType.BFloat16);
            Tensor v = randn(2, 3, 7, 8).to(ScalarType.BFloat16);
            Tensor floatBias = randn(3, 7, 7).unsqueeze(0);
            Tensor out = DotProductAttention.attend(q, k, v, null);
            assertThat(Tensors.scalarType(out)).isEqualTo(ScalarType.BFloat16);
            assertClose("no bias", out.to(ScalarType.Double), definition(q, k, v, null), 2e-2, 2e-2);
            // A float bias (Swin's table) promotes the logits: the softmax is taken in float.
            assertClose("a float bias", DotProductAttention.attend(q, k, v, floatBias).to(ScalarType.Double),
                    definition(q, k, v, floatBias), 2e-2, 2e-2);
        }
    }
}
