package dev.mim4j.models.parts;

import static org.bytedeco.pytorch.global.torch.layer_norm;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.zeros;

import dev.mim4j.dsl.part.LayerNormPart;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

/**
 * Layer normalisation over the last dimension with a learned {@code weight} (ones) and
 * {@code bias} (zeros): the compiled {@link LayerNormPart}, the same as libtorch's LayerNorm.
 */
public final class LayerNormModule extends NormModule {

    private final long[] shape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** The compiler of {@link LayerNormPart}. */
    public static LayerNormModule compile(LayerNormPart part, int width) {
        return new LayerNormModule(width, part.eps());
    }

    public LayerNormModule(int width, double eps) {
        this.shape = new long[] {width};
        this.eps = eps;
        weight = parameter("weight", ones(width));
        bias = parameter("bias", zeros(width));
    }

    @Override
    public Tensor forward(Tensor x) {
        return layer_norm(x, shape, new TensorOptional(weight), new TensorOptional(bias), eps, true);
    }
}
