package dev.mim4j.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.dsl.Mim4jException;

/**
 * What a run asks of the machine it runs on, apart from its hyperparameters ({@link TrainConfig}):
 * not saved with the hyperparameters, so a run resumed on another machine (another GPU, more cores)
 * can change these and keep the rest.
 *
 * @param device "auto" (CUDA when present), "cpu" or "cuda[:N]"
 * @param threads libtorch intra-op threads; on small machines measure before raising it
 * @param loaderWorkers image decoding threads
 */
public record MachineSettings(String device, int threads, int loaderWorkers) {

    public MachineSettings {
        if (device == null || !device.matches("auto|cpu|cuda(:\\d+)?")) {
            throw new Mim4jException("device", "device '" + device + "' is not one of auto, cpu, cuda, cuda:N");
        }
        if (threads < 1) {
            throw new Mim4jException("threads", "threads " + threads + " must be at least 1");
        }
        if (loaderWorkers < 1) {
            throw new Mim4jException("loader workers", "loader workers " + loaderWorkers + " must be at least 1");
        }
    }

    /** CUDA when present, one libtorch thread (the fastest on 2 cores), two decoding threads. */
    public static MachineSettings defaults() {
        return new MachineSettings("auto", 1, 2);
    }

    public MachineSettings withThreads(int threads) {
        return new MachineSettings(device, threads, loaderWorkers);
    }

    public MachineSettings withLoaderWorkers(int loaderWorkers) {
        return new MachineSettings(device, threads, loaderWorkers);
    }

    /** One line for logs. */
    public String describe() {
        return "device " + device + ", " + threads + " threads, " + loaderWorkers + " loader workers";
    }

    /** Removes these settings from a schema-1 config document, which still held them. */
    public static void removeFrom(ObjectNode config) {
        config.remove("device");
        config.remove("threads");
        config.remove("loaderWorkers");
    }
}
