package dev.mim4j.models.vit;

import static org.bytedeco.pytorch.global.torch.ones;

import dev.mim4j.dsl.BlockSpec;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * A pre-norm transformer block: {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}, each
 * branch optionally scaled per channel ({@code gamma_1}, {@code gamma_2}: layer scale) and dropped
 * per sample (drop path).
 */
public final class Block extends Module {

    private final BlockSpec spec;
    private final LayerNormImpl norm1;
    private final Attention attn;
    private final LayerNormImpl norm2;
    private final Mlp mlp;
    private final Tensor gamma1;
    private final Tensor gamma2;

    public Block(BlockSpec spec) {
        this.spec = spec;
        norm1 = register_module("norm1", LayerNorms.over(spec.width(), spec.normEps()));
        attn = register_module("attn", new Attention(spec.width(), spec.heads(), spec.qkvBias()));
        norm2 = register_module("norm2", LayerNorms.over(spec.width(), spec.normEps()));
        mlp = register_module("mlp", new Mlp(spec.width(), spec.mlpHidden()));
        if (spec.hasLayerScale()) {
            gamma1 = Registration.parameter(this, "gamma_1", ones(spec.width()).mul(new Scalar(spec.layerScaleInit())));
            gamma2 = Registration.parameter(this, "gamma_2", ones(spec.width()).mul(new Scalar(spec.layerScaleInit())));
        } else {
            gamma1 = null;
            gamma2 = null;
        }
    }

    public BlockSpec spec() {
        return spec;
    }

    public Attention attn() {
        return attn;
    }

    public Mlp mlp() {
        return mlp;
    }

    /**
     * @param x {@code [batch, tokens, width]}
     * @param logitBias relative position bias {@code [heads, tokens, tokens]}, or null
     */
    public Tensor forward(Tensor x, Tensor logitBias) {
        Tensor a = attn.forward(norm1.forward(x), logitBias);
        if (gamma1 != null) {
            a = a.mul(gamma1);
        }
        x = x.add(DropPath.apply(a, spec.dropPath(), is_training()));
        Tensor m = mlp.forward(norm2.forward(x));
        if (gamma2 != null) {
            m = m.mul(gamma2);
        }
        return x.add(DropPath.apply(m, spec.dropPath(), is_training()));
    }
}
