package dev.mim4j.models.parts;

import static org.bytedeco.pytorch.global.torch.empty;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.init.Initializers;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code y = x W^T + b}: libtorch's Linear (its parameters {@code weight} {@code [out, in]} and {@code bias}
 * {@code [out]}, drawn as it draws them), registered through {@link PartModule} so that they follow a
 * {@link ConstructionDevice}.
 */
public final class Linear extends PartModule {

    private final Tensor weight;
    private final Tensor bias;

    /** From {@code in} to {@code out} features, with a bias when {@code bias}. */
    public Linear(long in, long out, boolean bias) {
        if (in < 1 || out < 1) {
            throw new Mim4jException("features", "a Linear from " + in + " to " + out + " features: both must be at"
                    + " least 1");
        }
        this.weight = parameter("weight", empty(out, in));
        this.bias = bias ? parameter("bias", empty(out)) : null;
        Initializers.libtorchDefault(weight, this.bias);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a Linear without one. */
    public Tensor bias() {
        return bias;
    }

    /** {@code [..., in]} to {@code [..., out]}. */
    public Tensor forward(Tensor x) {
        return torch.linear(x, weight, bias == null ? new TensorOptional() : new TensorOptional(bias));
    }
}
