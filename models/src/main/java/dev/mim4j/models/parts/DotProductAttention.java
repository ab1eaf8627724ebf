package dev.mim4j.models.parts;

import static org.bytedeco.pytorch.global.torch.matmul;
import static org.bytedeco.pytorch.global.torch.scaled_dot_product_attention;
import static org.bytedeco.pytorch.global.torch.softmax;

import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * {@code softmax(q kᵀ / √d + bias) v} over {@code [batch, heads, tokens, d]}, by the kernel that is fastest for
 * the inputs' type and device: libtorch's fused {@code scaled_dot_product_attention}, except for bf16 or half
 * on the CPU, where the three products are written out, since libtorch's fused CPU kernel multiplies them
 * through a scalar fallback instead of oneDNN and took ten times as long (libtorch 2.10: half of a MAE ViT-B
 * bf16 step was spent there). Both compute what the authors' code does; a float bias (Swin's table) promotes
 * the logits, so the softmax is then taken in float.
 */
public final class DotProductAttention {

    private DotProductAttention() {
    }

    /**
     * The attention of {@code q} over {@code k} and {@code v}, scaled by {@code 1/√d}.
     *
     * @param logitBias finite values added to the logits before the softmax (broadcast to {@code [batch, heads,
     *        tokens, tokens]}; a large negative value such as Swin's -100 masks), or null
     * @throws IllegalArgumentException if the bias is not floating point (a boolean mask means "keep" to the
     *         fused kernel and would be added as 0 and 1 by the written-out one)
     */
    public static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor logitBias) {
        if (logitBias != null && !logitBias.is_floating_point()) {
            throw new IllegalArgumentException("the attention's logit bias is of type " + Tensors.scalarType(logitBias)
                    + ", not floating point: give additive values (0 to keep, -100 or so to mask) instead of a mask");
        }
        if (q.is_cpu() && isReducedPrecision(q)) {
            Tensor logits = matmul(q.mul(new Scalar(1.0 / Math.sqrt(q.size(-1)))), k.transpose(-2, -1));
            if (logitBias != null) {
                logits = logits.add(logitBias);
            }
            // A float bias promotes the logits to float; the product with v is taken in v's type.
            return matmul(softmax(logits, -1).to(Tensors.scalarType(v)), v);
        }
        TensorOptional mask = logitBias == null ? new TensorOptional() : new TensorOptional(logitBias);
        return scaled_dot_product_attention(q, k, v, mask, 0.0, false, new DoubleOptional(), false);
    }

    private static boolean isReducedPrecision(Tensor t) {
        ScalarType type = Tensors.scalarType(t);
        return type == ScalarType.BFloat16 || type == ScalarType.Half;
    }
}
