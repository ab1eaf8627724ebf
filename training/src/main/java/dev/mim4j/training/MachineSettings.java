package dev.mim4j.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.dsl.Mim4jException;

/**
 * What a run asks of the machine it runs on, apart from its hyperparameters ({@link TrainConfig}):
 * not saved with the hyperparameters, so a run resumed on another machine (another GPU, more cores)
 * can change these and keep the rest.
 *
 * @param device "auto" (CUDA when present), "cpu" or "cuda[:N]"
 * @param threads libtorch intra-op threads, or {@link #AUTOMATIC_THREADS} for the measured best of the run's
 *        precision ({@link #threadsFor(boolean)})
 * @param loaderWorkers image decoding threads
 * @param forceBf16 bf16 (when the run asks for it) even on a CPU without native bf16, where it is slower than
 *        float32 and a run otherwise trains in float32 ({@link #runsBf16})
 */
public record MachineSettings(String device, int threads, int loaderWorkers, boolean forceBf16) {

    /** {@link #threads()} that stands for the measured best of the run's precision. */
    public static final int AUTOMATIC_THREADS = 0;

    public MachineSettings {
        if (device == null || !device.matches("auto|cpu|cuda(:\\d+)?")) {
            throw new Mim4jException("device", "device '" + device + "' is not one of auto, cpu, cuda, cuda:N");
        }
        if (threads < AUTOMATIC_THREADS) {
            throw new Mim4jException("threads", "threads " + threads + " must be at least 1, or " + AUTOMATIC_THREADS
                    + " for the best of the run's precision");
        }
        if (loaderWorkers < 1) {
            throw new Mim4jException("loader workers", "loader workers " + loaderWorkers + " must be at least 1");
        }
    }

    /** Settings that run bf16 only where the CPU has it natively. */
    public MachineSettings(String device, int threads, int loaderWorkers) {
        this(device, threads, loaderWorkers, false);
    }

    /** CUDA when present, the best libtorch threads for the run's precision, two decoding threads. */
    public static MachineSettings defaults() {
        return new MachineSettings("auto", AUTOMATIC_THREADS, 2);
    }

    /**
     * Whether a run that asks for bf16 ({@code asked}) runs in it on this machine: on a GPU, and on a CPU that has
     * native bf16 ({@link NativeBf16}) or when {@link #forceBf16()}. A checkpoint keeps what the run asked, so a
     * run resumed on a machine with native bf16 is in bf16 again.
     */
    public boolean runsBf16(boolean asked, boolean onCpu) {
        return asked && (forceBf16 || !onCpu || !NativeBf16.isMissing());
    }

    /**
     * The libtorch intra-op threads to run with: {@link #threads()} when set, else the measured best for the
     * precision. In float32 that is 1, since the matrix products go through OpenBLAS, which runs threads of its
     * own on every core (more libtorch threads only contend with them: a MAE ViT-B step 6.3 s on 1, 6.7 s on 2 of
     * 2 cores); in bf16 it is every core, since oneDNN runs the products on libtorch's threads (3.5 s on 2, 5.7 s
     * on 1).
     */
    public int threadsFor(boolean bf16) {
        if (threads != AUTOMATIC_THREADS) {
            return threads;
        }
        return bf16 ? Runtime.getRuntime().availableProcessors() : 1;
    }

    public MachineSettings withThreads(int threads) {
        return new MachineSettings(device, threads, loaderWorkers, forceBf16);
    }

    public MachineSettings withLoaderWorkers(int loaderWorkers) {
        return new MachineSettings(device, threads, loaderWorkers, forceBf16);
    }

    public MachineSettings withBf16Forced(boolean forced) {
        return new MachineSettings(device, threads, loaderWorkers, forced);
    }

    /** One line for logs. */
    public String describe() {
        return "device " + device + ", " + (threads == AUTOMATIC_THREADS ? "automatic" : threads)
                + (threads == 1 ? " thread, " : " threads, ") + loaderWorkers
                + (loaderWorkers == 1 ? " loader worker" : " loader workers") + (forceBf16 ? ", bf16 forced" : "");
    }

    /** Removes these settings from a schema-1 config document, which still held them. */
    public static void removeFrom(ObjectNode config) {
        config.remove("device");
        config.remove("threads");
        config.remove("loaderWorkers");
    }
}
