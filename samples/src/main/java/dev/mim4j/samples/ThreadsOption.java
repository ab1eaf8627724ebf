package dev.mim4j.samples;

import picocli.CommandLine.Option;

/** The libtorch threads of a command (--threads). */
final class ThreadsOption {

    @Option(names = "--threads", defaultValue = "1", description = "libtorch intra-op threads; on 2 cores 1 is"
            + " fastest, as OpenBLAS uses its own threads for fp32 (default: ${DEFAULT-VALUE}).")
    int threads;
}
