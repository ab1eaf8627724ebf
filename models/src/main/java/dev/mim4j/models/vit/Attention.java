package dev.mim4j.models.vit;

import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.linear;
import static org.bytedeco.pytorch.global.torch.zeros;
import static org.bytedeco.pytorch.global.torch.zeros_like;

import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.part.MultiHeadAttention;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.AttentionModule;
import dev.mim4j.models.parts.DotProductAttention;
import dev.mim4j.models.parts.Linear;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;

/**
 * Multi-head self-attention with a fused {@code qkv} projection, through {@link DotProductAttention}: the
 * compiled {@link MultiHeadAttention}.
 *
 * <p>The bias of {@code qkv} is one of: a plain bias (timm, MAE), none, or learned {@code q_bias}
 * and {@code v_bias} with the key's bias held at zero (BEiT, SimMIM). An additive bias over the
 * attention logits (a relative position bias, {@code [heads, tokens, tokens]}) may be given.
 */
public final class Attention extends AttentionModule {

    private final int heads;
    private final Linear qkv;
    private final Linear proj;
    private final Tensor qBias;
    private final Tensor vBias;

    /** The compiler of {@link MultiHeadAttention}. */
    public static Attention compile(MultiHeadAttention part, int width, int heads) {
        return new Attention(width, heads, part.qkvBias());
    }

    Attention(int width, int heads, QkvBias bias) {
        this.heads = heads;
        qkv = child("qkv", Linears.of(width, 3L * width, bias == QkvBias.FUSED));
        if (bias == QkvBias.Q_AND_V) {
            qBias = parameter("q_bias", zeros(width));
            vBias = parameter("v_bias", zeros(width));
        } else {
            qBias = null;
            vBias = null;
        }
        proj = child("proj", Linears.of(width, width, true));
    }

    public Linear qkv() {
        return qkv;
    }

    public Linear proj() {
        return proj;
    }

    @Override
    public Tensor forward(Tensor x, Tensor logitBias) {
        long batch = x.size(0);
        long tokens = x.size(1);
        long width = x.size(2);
        Tensor qkvOut = linear(x, qkv.weight(), new TensorOptional(qkvBias()));
        Tensor split = qkvOut.reshape(batch, tokens, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        Tensor q = split.select(0, 0);
        Tensor k = split.select(0, 1);
        Tensor v = split.select(0, 2);
        Tensor out = DotProductAttention.attend(q, k, v,
                logitBias == null || logitBias.dim() != 3 ? logitBias : logitBias.unsqueeze(0));
        return proj.forward(out.transpose(1, 2).reshape(batch, tokens, width));
    }

    /**
     * MAE's: both Linears xavier-uniform (the fused qkv as one matrix), zero bias. BEiT's: both
     * trunc-normal 0.02, zero bias, then {@code proj} divided by {@code sqrt(2 * layer)}. The q/v
     * biases keep their zeros.
     */
    @Override
    public void initialize(Initialization scheme, int layer) {
        Initializers.linear(qkv.weight(), qkv.bias(), scheme);
        Initializers.linear(proj.weight(), proj.bias(), scheme);
        if (scheme == Initialization.TRUNC_NORMAL) {
            Initializers.scale(proj.weight(), 1.0 / Math.sqrt(2.0 * layer));
        }
    }

    private Tensor qkvBias() {
        if (qBias != null) {
            return cat(new TensorVector(qBias, zeros_like(vBias), vBias));
        }
        return qkv.bias() != null ? qkv.bias() : new Tensor();
    }
}
