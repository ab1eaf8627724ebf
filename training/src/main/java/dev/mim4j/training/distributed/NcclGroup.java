package dev.mim4j.training.distributed;

import java.time.Duration;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

/**
 * The NCCL process group of a world whose tensors are on CUDA. Apart from {@link World} because its natives exist
 * only in the presets' GPU build ({@code -Pcuda}): on the CPU build this class is never initialised.
 */
final class NcclGroup {

    private NcclGroup() {
    }

    static Backend create(Store store, int rank, int size, Duration timeout) {
        ProcessGroupNCCL.Options options = ProcessGroupNCCL.Options.create();
        options.timeout(new Milliseconds(timeout.toMillis()));
        return new ProcessGroupNCCL(store, rank, size, options);
    }
}
