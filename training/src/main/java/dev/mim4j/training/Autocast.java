package dev.mim4j.training;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * bf16 autocast for the current thread, as a try-with-resources scope (the presets have no RAII
 * class for it): matrix products and convolutions run in bf16, reductions and the loss in float32.
 * bf16 has float32's range, so no gradient scaler is needed. As Python's {@code torch.autocast} does,
 * the cache of casted parameters is cleared when the outermost scope closes.
 */
public final class Autocast implements AutoCloseable {

    private final DeviceType type;
    private final boolean wasEnabled;
    private final ScalarType previousType;
    private final boolean active;

    private Autocast(DeviceType type, boolean active) {
        this.type = type;
        this.active = active;
        this.wasEnabled = torch.is_autocast_enabled(type);
        this.previousType = torch.get_autocast_dtype(type);
        if (active) {
            torch.set_autocast_dtype(type, ScalarType.BFloat16);
            torch.set_autocast_enabled(type, true);
            torch.increment_nesting();
        }
    }

    /** Autocast to bf16 on the device's type when {@code enabled}, else a scope that does nothing. */
    public static Autocast bf16(Device device, boolean enabled) {
        return new Autocast(device.is_cuda() ? DeviceType.CUDA : DeviceType.CPU, enabled);
    }

    @Override
    public void close() {
        if (active) {
            // Autocast caches bf16 copies of the parameters; they must go when the outermost scope
            // closes, or the next step (after the optimiser changed the weights) would reuse them.
            if (torch.decrement_nesting() == 0) {
                torch.clear_cache();
            }
            torch.set_autocast_enabled(type, wasEnabled);
            torch.set_autocast_dtype(type, previousType);
        }
    }
}
