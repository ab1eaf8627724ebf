package dev.mim4j.models.vit;

import static org.bytedeco.pytorch.global.torch.ones;

import dev.mim4j.dsl.BlockSpec;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.models.backbone.DropPaths;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.parts.AttentionModule;
import dev.mim4j.models.parts.MlpModule;
import dev.mim4j.models.parts.NormModule;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * A pre-norm transformer block made of its spec's parts: {@code x + attn(norm1(x))}, then
 * {@code x + mlp(norm2(x))}, each branch optionally scaled per channel ({@code gamma_1},
 * {@code gamma_2}: layer scale) and dropped per sample (drop path). Each part is compiled by the
 * compiler registered for it, so a user part fits as the built-in ones do.
 */
public final class Block extends PartModule {

    private final BlockSpec spec;
    private final NormModule norm1;
    private final AttentionModule attn;
    private final NormModule norm2;
    private final MlpModule mlp;
    private final Tensor gamma1;
    private final Tensor gamma2;

    public Block(BlockSpec spec) {
        this.spec = spec;
        norm1 = child("norm1", Compilers.norm(spec.norm(), spec.width()));
        attn = child("attn", Compilers.attention(spec.attention(), spec.width(), spec.heads()));
        norm2 = child("norm2", Compilers.norm(spec.norm(), spec.width()));
        mlp = child("mlp", Compilers.mlp(spec.mlp(), spec.width()));
        if (spec.hasLayerScale()) {
            gamma1 = parameter("gamma_1", ones(spec.width()).mul(new Scalar(spec.layerScaleInit())));
            gamma2 = parameter("gamma_2", ones(spec.width()).mul(new Scalar(spec.layerScaleInit())));
        } else {
            gamma1 = null;
            gamma2 = null;
        }
    }

    public BlockSpec spec() {
        return spec;
    }

    public AttentionModule attn() {
        return attn;
    }

    public MlpModule mlp() {
        return mlp;
    }

    /** Draws the parts' initial weights as {@code scheme} says, for the block that is layer {@code layer} (from 1). */
    public void initialize(Initialization scheme, int layer) {
        attn.initialize(scheme, layer);
        mlp.initialize(scheme, layer);
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
        x = x.add(DropPaths.apply(a, spec.dropPath(), is_training()));
        Tensor m = mlp.forward(norm2.forward(x));
        if (gamma2 != null) {
            m = m.mul(gamma2);
        }
        return x.add(DropPaths.apply(m, spec.dropPath(), is_training()));
    }
}
