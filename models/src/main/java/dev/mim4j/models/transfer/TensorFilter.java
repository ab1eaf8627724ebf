package dev.mim4j.models.transfer;

import java.util.Arrays;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * Fits a checkpoint's tensor to the shape of the encoder tensor it goes into, as timm's
 * {@code checkpoint_filter_fn} does: resampled positions, resized bias tables, or the value as it is.
 */
@FunctionalInterface
public interface TensorFilter {

    /**
     * {@code value} in the shape of {@code into} (the tensor named {@code name} of an encoder of {@code target}),
     * or null when no rule of this filter makes it fit. A value of {@code into}'s shape is returned as it is.
     */
    Tensor fit(String name, Tensor value, Tensor into, Backbone target);

    /** Values fit only at the encoder's own shapes. */
    TensorFilter SAME_SHAPE = (name, value, into, target) -> Arrays.equals(Tensors.shape(value), Tensors.shape(into))
            ? value : null;
}
