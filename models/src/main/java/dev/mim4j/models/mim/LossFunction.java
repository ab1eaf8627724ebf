package dev.mim4j.models.mim;

import org.bytedeco.pytorch.Tensor;

/** A compiled {@link dev.mim4j.dsl.recipe.Loss}: a prediction against its target, as one scalar. */
@FunctionalInterface
public interface LossFunction {

    /**
     * @param prediction {@code [batch, tokens, D]}
     * @param target {@code [batch, tokens, D]}
     * @param mask {@code [batch, tokens]}, 1 where masked
     */
    Tensor of(Tensor prediction, Tensor target, Tensor mask);
}
