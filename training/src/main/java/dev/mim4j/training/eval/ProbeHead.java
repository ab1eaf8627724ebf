package dev.mim4j.training.eval;

import java.util.List;

import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.parts.Linear;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Tensor;

/**
 * MAE's linear-probe head, {@code head.0} a BatchNorm without affine parameters (eps 1e-6, momentum
 * 0.1, running statistics with the unbiased variance) and {@code head.1} a Linear whose weight is
 * truncated-normal with std 0.01 and whose bias is zero; the BatchNorm standardises the features
 * so that one learning rate suits encoders of any scale.
 */
final class ProbeHead extends PartModule {

    static final double NORM_EPS = 1e-6;
    static final double WEIGHT_STD = 0.01;

    private final BatchNorm1dImpl norm;
    private final Linear linear;

    /** A head from {@code width} features to {@code classes} scores, drawn from libtorch's default generator. */
    ProbeHead(int width, int classes) {
        BatchNormOptions options = new BatchNormOptions(width);
        options.affine().put(false);
        options.eps().put(NORM_EPS);
        norm = child("0", new BatchNorm1dImpl(options));
        linear = child("1", Linears.of(width, classes, true));
        Initializers.truncatedNormalLinear(linear.weight(), linear.bias(), WEIGHT_STD);
    }

    BatchNorm1dImpl norm() {
        return norm;
    }

    /** The trainable parameters: the Linear's weight and bias. */
    List<Tensor> trainable() {
        return List.of(new Tensor(linear.weight()), new Tensor(linear.bias()));
    }

    /** {@code [batch, width]} features to {@code [batch, classes]} scores. */
    Tensor forward(Tensor features) {
        return linear.forward(norm.forward(features));
    }
}
