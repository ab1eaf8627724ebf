package dev.mim4j.training.eval;

import static org.bytedeco.pytorch.global.torch.zeros_like;

import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * LARS (layer-wise adaptive rate scaling) as MAE's linear probe uses it: SGD with momentum whose
 * update of each matrix is rescaled by the trust ratio {@code trust * ||p|| / ||g + wd * p||};
 * vectors (biases, norm parameters) get neither the ratio nor weight decay.
 * Per parameter: {@code d = g} (vector) or {@code d = (g + wd * p) * ratio} (matrix),
 * {@code mu = momentum * mu + d}, {@code p -= lr * mu}.
 */
public final class Lars {

    /** MAE's momentum. */
    public static final double MOMENTUM = 0.9;

    /** MAE's trust coefficient. */
    public static final double TRUST_COEFFICIENT = 0.001;

    private final List<Tensor> parameters = new ArrayList<>();
    private final List<Tensor> momenta = new ArrayList<>();
    private final double momentum;
    private final double trustCoefficient;
    private final double weightDecay;

    /**
     * LARS over {@code parameters}, which it keeps its own handles to.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public Lars(List<Tensor> parameters, double momentum, double trustCoefficient, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new Mim4jException("LARS momentum", "LARS momentum " + momentum + " must be in [0, 1)");
        }
        if (!(trustCoefficient > 0) || Double.isInfinite(trustCoefficient)) {
            throw new Mim4jException("LARS trust coefficient", "LARS trust coefficient " + trustCoefficient
                    + " must be positive and finite");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new Mim4jException("LARS weight decay", "LARS weight decay " + weightDecay
                    + " must be at least 0 and finite");
        }
        this.momentum = momentum;
        this.trustCoefficient = trustCoefficient;
        this.weightDecay = weightDecay;
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor p : parameters) {
                this.parameters.add(new Tensor(p));
                momenta.add(zeros_like(p));
            }
        }
    }

    /** MAE's LARS: momentum 0.9, trust coefficient 0.001. */
    public static Lars mae(List<Tensor> parameters, double weightDecay) {
        return new Lars(parameters, MOMENTUM, TRUST_COEFFICIENT, weightDecay);
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : parameters) {
            Tensor grad = p.grad();
            if (grad.defined()) {
                grad.detach_().zero_();
            }
        }
    }

    /** One update at learning rate {@code lr}; parameters without a gradient are left alone. */
    public void step(double lr) {
        try (NoGradGuard guard = new NoGradGuard()) {
            for (int i = 0; i < parameters.size(); i++) {
                Tensor p = parameters.get(i);
                Tensor grad = p.grad();
                if (!grad.defined()) {
                    continue;
                }
                Tensor update = grad;
                if (p.dim() > 1) {
                    update = grad.add(p, new Scalar(weightDecay));
                    double parameterNorm = p.norm().item_double();
                    double updateNorm = update.norm().item_double();
                    if (parameterNorm > 0 && updateNorm > 0) {
                        update = update.mul(new Scalar(trustCoefficient * parameterNorm / updateNorm));
                    }
                }
                momenta.get(i).mul_(new Scalar(momentum)).add_(update);
                p.add_(momenta.get(i), new Scalar(-lr));
            }
        }
    }
}
