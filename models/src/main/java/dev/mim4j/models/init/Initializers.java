package dev.mim4j.models.init;

import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * In-place weight initialisers with the semantics of {@code torch.nn.init}, drawing from libtorch's
 * default generator (seed it with {@code torch.manual_seed} for a reproducible model).
 */
public final class Initializers {

    /** Standard deviation of learned tokens in both official code bases, and of BEiT's Linears. */
    public static final double TOKEN_STD = 0.02;

    private Initializers() {
    }

    /**
     * Xavier (Glorot) uniform over the tensor viewed as a matrix {@code [out, in...]}: bound
     * {@code sqrt(6 / (fan_in + fan_out))} with {@code fan_out = size(0)} and {@code fan_in} the product
     * of the other sizes. This is how MAE initialises its patch convolution ("like a Linear") and
     * differs from {@code xavier_uniform_} on a 4-D tensor, which counts the kernel in both fans.
     */
    public static void xavierUniformAsMatrix(Tensor weight) {
        long fanOut = weight.size(0);
        long fanIn = weight.numel() / fanOut;
        double bound = Math.sqrt(6.0 / (fanIn + fanOut));
        uniform(weight, -bound, bound);
    }

    /** MAE's Linear: xavier-uniform weight, zero bias. */
    public static void xavierLinear(LinearImpl linear) {
        xavierLinear(linear.weight(), biasOf(linear));
    }

    /** BEiT's Linear: truncated-normal weight with the given std, zero bias. */
    public static void truncatedNormalLinear(LinearImpl linear, double std) {
        truncatedNormalLinear(linear.weight(), biasOf(linear), std);
    }

    /**
     * A Linear of a backbone drawn as its scheme says: MAE's xavier-uniform, or BEiT's and Swin's
     * trunc-normal with std 0.02; zero bias.
     */
    public static void linear(LinearImpl linear, Initialization scheme) {
        linear(linear.weight(), biasOf(linear), scheme);
    }

    private static Tensor biasOf(LinearImpl linear) {
        return linear.options().bias().get() ? linear.bias() : null;
    }

    /** MAE's Linear: xavier-uniform weight, zero bias (if any). */
    public static void xavierLinear(Tensor weight, Tensor bias) {
        xavierUniformAsMatrix(weight);
        zeroBias(bias);
    }

    /** BEiT's Linear: truncated-normal weight with the given std, zero bias (if any). */
    public static void truncatedNormalLinear(Tensor weight, Tensor bias, double std) {
        truncatedNormal(weight, std);
        zeroBias(bias);
    }

    /** As {@link #linear(LinearImpl, Initialization)}, for a Linear's weight and bias (null for none). */
    public static void linear(Tensor weight, Tensor bias, Initialization scheme) {
        switch (scheme) {
            case XAVIER_UNIFORM -> xavierLinear(weight, bias);
            case TRUNC_NORMAL, TRUNC_NORMAL_UNSCALED -> truncatedNormalLinear(weight, bias, TOKEN_STD);
        }
    }

    private static void zeroBias(Tensor bias) {
        if (bias != null) {
            constant(bias, 0.0);
        }
    }

    /**
     * libtorch's default for Linear and convolution parameters ({@code reset_parameters}): the weight
     * {@code kaiming_uniform_(w, a = sqrt 5)}, uniform within {@code sqrt 3 x gain / sqrt(fan_in)} with gain
     * {@code sqrt(2 / (1 + a^2))}, then the bias (if any, else null) uniform within {@code 1 / sqrt(fan_in)}; computed
     * as libtorch computes them, in its order, so that the same seed gives the same parameters.
     */
    public static void libtorchDefault(Tensor weight, Tensor bias) {
        long fanIn = weight.numel() / weight.size(0);
        double a = Math.sqrt(5);
        double gain = Math.sqrt(2.0 / (1 + Math.pow(a, 2)));
        double std = gain / Math.sqrt(fanIn);
        double bound = Math.sqrt(3.0) * std;
        uniform(weight, -bound, bound);
        if (bias != null) {
            double biasBound = 1 / Math.sqrt(fanIn);
            uniform(bias, -biasBound, biasBound);
        }
    }

    /** Uniform on {@code [low, high)}. */
    public static void uniform(Tensor tensor, double low, double high) {
        try (NoGradGuard guard = new NoGradGuard()) {
            tensor.uniform_(low, high, new GeneratorOptional());
        }
    }

    /** Normal with the given mean and standard deviation. */
    public static void normal(Tensor tensor, double mean, double std) {
        try (NoGradGuard guard = new NoGradGuard()) {
            tensor.normal_(mean, std, new GeneratorOptional());
        }
    }

    /**
     * Normal with mean 0 and standard deviation {@code std}, truncated to the absolute interval
     * {@code [-2, 2]} (timm's {@code trunc_normal_(std=...)} default), by inverse-CDF sampling.
     */
    public static void truncatedNormal(Tensor tensor, double std) {
        truncatedNormal(tensor, 0.0, std, -2.0, 2.0);
    }

    /** Normal truncated to {@code [low, high]}: uniform in CDF space, then the inverse error function. */
    public static void truncatedNormal(Tensor tensor, double mean, double std, double low, double high) {
        if (!(std > 0) || !(low < high)) {
            throw new Mim4jException("truncated normal", "truncated normal needs std > 0 and low < high, got std " + std
                    + ", low " + low + ", high " + high);
        }
        double l = normalCdf((low - mean) / std);
        double u = normalCdf((high - mean) / std);
        try (NoGradGuard guard = new NoGradGuard()) {
            tensor.uniform_(2 * l - 1, 2 * u - 1, new GeneratorOptional());
            tensor.erfinv_();
            tensor.mul_(new Scalar(std * Math.sqrt(2.0)));
            tensor.add_(new Scalar(mean));
            tensor.clamp_(new ScalarOptional(new Scalar(low)), new ScalarOptional(new Scalar(high)));
        }
    }

    /** Sets every element to {@code value}. */
    public static void constant(Tensor tensor, double value) {
        try (NoGradGuard guard = new NoGradGuard()) {
            tensor.fill_(new Scalar(value));
        }
    }

    /** Multiplies in place by {@code factor}. */
    public static void scale(Tensor tensor, double factor) {
        try (NoGradGuard guard = new NoGradGuard()) {
            tensor.mul_(new Scalar(factor));
        }
    }

    private static double normalCdf(double x) {
        return (1.0 + erf(x / Math.sqrt(2.0))) / 2.0;
    }

    /** Abramowitz-Stegun 7.1.26 is too coarse here; this uses the series/continued fraction to ~1e-15. */
    static double erf(double x) {
        double t = Math.abs(x);
        double result;
        if (t < 2.5) {
            double sum = t;
            double term = t;
            for (int n = 1; n < 200; n++) {
                term *= -t * t / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            result = 2.0 / Math.sqrt(Math.PI) * sum;
        } else {
            double fraction = 0.0;
            for (int n = 60; n >= 1; n--) {
                fraction = n / 2.0 / (t + fraction);
            }
            result = 1.0 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + fraction);
        }
        return Math.copySign(result, x);
    }
}
