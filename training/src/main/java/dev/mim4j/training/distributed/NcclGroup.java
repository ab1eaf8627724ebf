package dev.mim4j.training.distributed;

import java.time.Duration;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

/**
 * The NCCL process group of a world whose tensors are on CUDA. Apart from {@link World} because its natives exist
 * only in the presets' GPU build ({@code -Pcuda}): on the CPU build this class is never initialised. A collective
 * waits at most the world's timeout only with {@code TORCH_NCCL_BLOCKING_WAIT=1} in the environment (which
 * {@code mim4j launch} sets); without it, NCCL's watchdog ends a process whose collective outlasts it. Never run
 * here: no machine of this project's has a GPU.
 */
final class NcclGroup {

    private NcclGroup() {
    }

    static Backend create(Store store, int rank, int size, Duration timeout) {
        ProcessGroupNCCL.Options options = ProcessGroupNCCL.Options.create();
        try (Milliseconds limit = new Milliseconds(timeout.toMillis())) {
            options.timeout(limit); // copied into the options
        }
        return new ProcessGroupNCCL(store, rank, size, options);
    }
}
