package dev.mim4j.models.vit;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Registers parameters and buffers and returns the caller's own handle to them.
 *
 * <p>The presets return {@code register_parameter}'s {@code Tensor&}, a reference into the module's
 * parameter table, which dangles as soon as the next registration grows that table; the tensor
 * passed in shares the registered parameter's storage and autograd state and stays valid.
 */
public final class Registration {

    private Registration() {
    }

    /** Registers {@code value} as a parameter and returns it. */
    public static Tensor parameter(Module module, String name, Tensor value, boolean trainable) {
        module.register_parameter(name, value, trainable);
        return value;
    }

    /** Registers {@code value} as a trainable parameter and returns it. */
    public static Tensor parameter(Module module, String name, Tensor value) {
        return parameter(module, name, value, true);
    }

    /** Registers {@code value} as a buffer and returns it. */
    public static Tensor buffer(Module module, String name, Tensor value) {
        module.register_buffer(name, value);
        return value;
    }
}
