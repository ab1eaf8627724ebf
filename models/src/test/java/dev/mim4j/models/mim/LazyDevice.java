package dev.mim4j.models.mim;

import com.sun.jna.NativeLibrary;
import dev.mim4j.models.Natives;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Device;

/**
 * libtorch's {@code lazy} device, which the CPU build of the presets carries (its TorchScript backend runs the
 * operations on the CPU) but does not expose: its initialiser is called here by its symbol. A tensor on it that
 * meets a CPU tensor fails ("Input tensor is not a lazy tensor"), as a CUDA tensor does.
 */
final class LazyDevice {

    private static Device device;

    private LazyDevice() {
    }

    static synchronized Device get() {
        if (device == null) {
            Natives.load();
            String library = Loader.getLoadedLibraries().get("torch_cpu");
            NativeLibrary.getInstance(library).getFunction("_ZN5torch4lazy22InitTorchScriptBackendEv")
                    .invokeVoid(new Object[0]);
            device = new Device("lazy");
        }
        return device;
    }
}
