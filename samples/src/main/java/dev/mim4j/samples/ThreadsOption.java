package dev.mim4j.samples;

import dev.mim4j.training.MachineSettings;
import picocli.CommandLine.Option;

/** The libtorch threads of a command (--threads). */
final class ThreadsOption {

    @Option(names = "--threads", description = "libtorch intra-op threads (default: the measured best, 1 in fp32,"
            + " where OpenBLAS runs threads of its own, and every core in bf16, where oneDNN runs on libtorch's).")
    Integer threads;

    /**
     * --threads as {@link MachineSettings#threads()}: the value given, at most the cores this JVM may use (more
     * only slows every step down), or {@link MachineSettings#AUTOMATIC_THREADS} when none was.
     *
     * @throws IllegalArgumentException naming the value and the cores
     */
    int setting() {
        if (threads == null) {
            return MachineSettings.AUTOMATIC_THREADS;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > cores) {
            throw new IllegalArgumentException("--threads " + threads + " must be from 1 to the " + cores + " cores this"
                    + " machine gives the JVM; more threads than cores slow every step down");
        }
        return threads;
    }

    /** The threads to run with in the given precision: --threads, or the best for it. */
    int value(boolean bf16) {
        return MachineSettings.defaults().withThreads(setting()).threadsFor(bf16);
    }
}
