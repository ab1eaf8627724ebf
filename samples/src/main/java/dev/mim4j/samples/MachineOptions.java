package dev.mim4j.samples;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The threads of a command that reads images: libtorch's (--threads) and the image decoders' (--workers). */
final class MachineOptions {

    @Mixin
    ThreadsOption libtorch;

    @Option(names = "--workers", defaultValue = "1", description = "Image decoding threads (default:"
            + " ${DEFAULT-VALUE}).")
    int workers;

    /** --threads as {@link dev.mim4j.training.MachineSettings#threads()} (automatic when not given). */
    int threads() {
        return libtorch.setting();
    }

    /** The libtorch threads to run with in the given precision. */
    int threadsFor(boolean bf16) {
        return libtorch.value(bf16);
    }
}
