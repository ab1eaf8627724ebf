package dev.mim4j.training;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Natives;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/** Chooses the libtorch device of a run: CUDA when asked for or, under "auto", when present. */
public final class Devices {

    private Devices() {
    }

    /**
     * @param name "auto", "cpu", "cuda" or "cuda:N"
     * @throws IllegalArgumentException when CUDA is asked for and this build or machine has none
     */
    public static Device resolve(String name) {
        Natives.load();
        boolean cuda = torch.cuda_is_available();
        switch (name) {
            case "auto":
                return new Device(cuda ? "cuda" : "cpu");
            case "cpu":
                return new Device("cpu");
            default:
                if (!cuda) {
                    throw new Mim4jException("device", "device '" + name + "' asked for, but CUDA is not"
                            + " available (a CPU build of the presets, or no GPU/driver): use the device cpu or auto,"
                            + " or build with -Pcuda on a machine with a GPU");
                }
                return new Device(name);
        }
    }

    /**
     * The device of the process of local rank {@code localRank} in a data-parallel run: {@link #resolve(String)},
     * except that "auto" and "cuda" on a machine with GPUs take the GPU of the process's local rank ("cuda:N"
     * stays the one named).
     */
    public static Device resolve(String name, int localRank) {
        if (localRank < 0) {
            throw new Mim4jException("local rank", "local rank " + localRank + " must be 0 or more");
        }
        Device device = resolve(name);
        return device.is_cuda() && !name.startsWith("cuda:") ? new Device("cuda:" + localRank) : device;
    }
}
