package dev.mim4j.models.backbone;

import static org.bytedeco.pytorch.global.torch.empty;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;

/**
 * Stochastic depth: in training, drops a residual branch for a whole sample with probability
 * {@code rate} and scales the survivors by {@code 1 / (1 - rate)}, so that the expectation is unchanged.
 */
public final class DropPaths {

    private DropPaths() {
    }

    public static Tensor apply(Tensor branch, double rate, boolean training) {
        if (rate == 0.0 || !training) {
            return branch;
        }
        double keep = 1.0 - rate;
        long[] shape = new long[(int) branch.dim()];
        java.util.Arrays.fill(shape, 1L);
        shape[0] = branch.size(0);
        Tensor mask = empty(shape, new TensorOptions(branch.dtype()).device(new DeviceOptional(branch.device())), new MemoryFormatOptional()).bernoulli_(keep, new GeneratorOptional());
        return branch.mul(mask).div(new Scalar(keep));
    }
}
