package dev.mim4j.samples;

import picocli.CommandLine.Option;

/** The libtorch threads of a command (--threads). */
final class ThreadsOption {

    @Option(names = "--threads", defaultValue = "1", description = "libtorch intra-op threads; on 2 cores 1 is"
            + " fastest, as OpenBLAS uses its own threads for fp32 (default: ${DEFAULT-VALUE}).")
    int threads;

    /**
     * --threads, at most the cores this JVM may use: more only slows every step down.
     *
     * @throws IllegalArgumentException naming the value and the cores
     */
    int value() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > cores) {
            throw new IllegalArgumentException("--threads " + threads + " must be from 1 to the " + cores + " cores this"
                    + " machine gives the JVM; more threads than cores slow every step down");
        }
        return threads;
    }
}
