package dev.mim4j.training;

import static org.bytedeco.pytorch.global.torch.zeros_like;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * AdamW (decoupled weight decay) over named parameters in two groups, with its state held as named
 * tensors so that a checkpoint can save and restore it exactly. The update is PyTorch's:
 * {@code p -= lr * wd * p}, then {@code p -= lr * m_hat / (sqrt(v_hat) + eps)}.
 */
public final class AdamW {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Boolean> decay = new LinkedHashMap<>();
    private final Map<String, Double> learningRateScale = new LinkedHashMap<>();
    private final Map<String, Tensor> firstMoment = new LinkedHashMap<>();
    private final Map<String, Tensor> secondMoment = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private long steps;

    public AdamW(ParameterGroups groups, double beta1, double beta2, double epsilon, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        groups.decayed().forEach((name, p) -> add(name, p, true));
        groups.notDecayed().forEach((name, p) -> add(name, p, false));
    }

    private void add(String name, Tensor parameter, boolean decayed) {
        parameters.put(name, parameter);
        decay.put(name, decayed);
        try (NoGradGuard guard = new NoGradGuard()) {
            firstMoment.put(name, zeros_like(parameter));
            secondMoment.put(name, zeros_like(parameter));
        }
    }

    /** The parameters it updates, by name. */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /**
     * Multiplies the learning rate of one parameter, e.g. for layer-wise decay in fine-tuning.
     *
     * @throws IllegalArgumentException for a name it does not update, or a negative scale
     */
    public AdamW scaleLearningRate(String name, double scale) {
        if (!parameters.containsKey(name)) {
            throw new Mim4jException("parameter", "no parameter '" + name + "' in this optimiser");
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new Mim4jException("learning-rate scale", "learning-rate scale " + scale + " of '" + name
                    + "' must be >= 0");
        }
        learningRateScale.put(name, scale);
        return this;
    }

    /** Optimiser steps taken so far. */
    public long steps() {
        return steps;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : parameters.values()) {
            Tensor grad = p.grad();
            if (grad.defined()) {
                grad.detach_().zero_();
            }
        }
    }

    /**
     * One update at learning rate {@code lr} (times each parameter's scale, 1 by default);
     * parameters without a gradient are left alone.
     */
    public void step(double lr) {
        steps++;
        double bias1 = 1 - Math.pow(beta1, steps);
        double bias2 = 1 - Math.pow(beta2, steps);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> entry : parameters.entrySet()) {
                Tensor p = entry.getValue();
                Tensor grad = p.grad();
                if (!grad.defined()) {
                    continue;
                }
                String name = entry.getKey();
                double rate = lr * learningRateScale.getOrDefault(name, 1.0);
                if (decay.get(name) && weightDecay > 0) {
                    p.mul_(new Scalar(1 - rate * weightDecay));
                }
                Tensor m = firstMoment.get(name);
                Tensor v = secondMoment.get(name);
                m.mul_(new Scalar(beta1)).add_(grad, new Scalar(1 - beta1));
                v.mul_(new Scalar(beta2)).addcmul_(grad, grad, new Scalar(1 - beta2));
                Tensor denominator = v.sqrt().div_(new Scalar(Math.sqrt(bias2))).add_(new Scalar(epsilon));
                p.addcdiv_(m, denominator, new Scalar(-rate / bias1));
            }
        }
    }

    /** The state as named tensors ({@code exp_avg.<name>}, {@code exp_avg_sq.<name>}), sorted by name. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new TreeMap<>();
        firstMoment.forEach((name, t) -> state.put("exp_avg." + name, t));
        secondMoment.forEach((name, t) -> state.put("exp_avg_sq." + name, t));
        return state;
    }

    /**
     * Restores the moments and the step count saved by {@link #state()} and {@link #steps()}.
     *
     * @throws IllegalArgumentException naming the first missing or mis-shaped entry
     */
    public void restore(Map<String, Tensor> state, long steps) {
        for (String name : parameters.keySet()) {
            restore(state, "exp_avg." + name, firstMoment.get(name));
            restore(state, "exp_avg_sq." + name, secondMoment.get(name));
        }
        this.steps = steps;
    }

    private static void restore(Map<String, Tensor> state, String key, Tensor target) {
        Tensor saved = state.get(key);
        if (saved == null) {
            throw new Mim4jException("optimiser state", "optimiser state has no '" + key + "'");
        }
        if (!java.util.Arrays.equals(dev.mim4j.models.Tensors.shape(saved), dev.mim4j.models.Tensors.shape(target))) {
            throw new Mim4jException("optimiser state", "optimiser state '" + key + "' has shape "
                    + java.util.Arrays.toString(dev.mim4j.models.Tensors.shape(saved)) + " but the parameter has "
                    + java.util.Arrays.toString(dev.mim4j.models.Tensors.shape(target)));
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            target.copy_(saved);
        }
    }
}
