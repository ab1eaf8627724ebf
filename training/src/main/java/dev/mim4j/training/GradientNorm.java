package dev.mim4j.training;

import static org.bytedeco.pytorch.global.torch.stack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/** The global L2 norm of the gradients, and clipping to a maximum norm as {@code clip_grad_norm_} does. */
final class GradientNorm {

    private GradientNorm() {
    }

    /**
     * @param maxNorm 0 for no clipping
     * @return the norm before clipping
     */
    static double clip(Collection<Tensor> parameters, double maxNorm) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) {
            if (p.grad().defined()) {
                grads.add(p.grad());
            }
        }
        if (grads.isEmpty()) {
            return 0.0;
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            TensorVector norms = new TensorVector();
            for (Tensor g : grads) {
                norms.push_back(g.norm());
            }
            double total = stack(norms).norm().item_double();
            if (maxNorm > 0 && total > maxNorm) {
                double factor = maxNorm / (total + 1e-6);
                for (Tensor g : grads) {
                    g.mul_(new Scalar(factor));
                }
            }
            return total;
        }
    }
}
