package dev.mim4j.models.parts;

import java.util.Objects;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Where the modules built on this thread put their parameters and buffers, as PyTorch's {@code with
 * torch.device(...)} does: a module built inside {@code try (ConstructionDevice on = ConstructionDevice.of(d))}
 * has every tensor it registers through {@link PartModule} (and the compiler) on {@code d} from the start. On the
 * {@code meta} device, where tensors have shapes but no data, this is how a whole model is checked for tensors
 * made on the CPU during a step: libtorch's {@code Module.to(meta)} cannot move parameters there.
 *
 * <p>Modules of libtorch's own ({@code LinearImpl}, {@code Conv2dImpl}) always make their parameters on the CPU;
 * the built-in parts use {@link Linear} and {@link PatchConvolution} instead.
 */
public final class ConstructionDevice implements AutoCloseable {

    private static final ThreadLocal<Device> CURRENT = new ThreadLocal<>();

    private final Device previous;

    private ConstructionDevice(Device device) {
        this.previous = CURRENT.get();
        CURRENT.set(device);
    }

    /** Builds on {@code device} until closed, on this thread. */
    public static ConstructionDevice of(Device device) {
        return new ConstructionDevice(Objects.requireNonNull(device, "device"));
    }

    /** {@code tensor} on the construction device (a new leaf, without its history), or itself when none is set. */
    public static Tensor place(Tensor tensor) {
        Device device = CURRENT.get();
        if (device == null) {
            return tensor;
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            return tensor.to(device, tensor.scalar_type());
        }
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
