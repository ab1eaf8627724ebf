package dev.mim4j.models.parts;

import static org.bytedeco.pytorch.global.torch.empty;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.init.Initializers;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * A 2-D convolution whose stride is its square kernel, without padding: patch embeddings and 1x1 pixel
 * projections. Its parameters are libtorch's Conv2d's ({@code weight} {@code [out, in, k, k]}, {@code bias}
 * {@code [out]}, drawn as it draws them), registered through {@link PartModule} so that they follow a
 * {@link ConstructionDevice}. Since the patches do not overlap, it is a Linear over each patch's pixels, and
 * computed so: one matrix product, which every device libtorch has runs (its C++ convolution has no kernel for
 * the {@code meta} device).
 */
public final class PatchConvolution extends PartModule {

    private final Tensor weight;
    private final Tensor bias;
    private final int kernel;

    public PatchConvolution(long in, long out, int kernel) {
        if (in < 1 || out < 1 || kernel < 1) {
            throw new Mim4jException("channels", "a patch convolution from " + in + " to " + out + " channels with a "
                    + kernel + "-pixel kernel: all three must be at least 1");
        }
        this.kernel = kernel;
        this.weight = parameter("weight", empty(out, in, kernel, kernel));
        this.bias = parameter("bias", empty(out));
        Initializers.libtorchDefault(weight, bias);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    /**
     * {@code [batch, in, height, width]} to {@code [batch, out, height / k, width / k]}.
     *
     * @throws IllegalArgumentException if the height or width is not a multiple of the kernel
     */
    public Tensor forward(Tensor x) {
        long batch = x.size(0);
        long channels = x.size(1);
        long height = x.size(2);
        long width = x.size(3);
        if (height % kernel != 0 || width % kernel != 0) {
            throw new Mim4jException("images", "images of " + height + "x" + width + " do not divide into " + kernel
                    + "x" + kernel + " patches");
        }
        long rows = height / kernel;
        long columns = width / kernel;
        Tensor patches = x.reshape(batch, channels, rows, kernel, columns, kernel).permute(0, 2, 4, 1, 3, 5)
                .reshape(batch, rows, columns, channels * kernel * kernel);
        Tensor out = torch.linear(patches, weight.reshape(weight.size(0), -1), new TensorOptional(bias));
        return out.permute(0, 3, 1, 2);
    }
}
