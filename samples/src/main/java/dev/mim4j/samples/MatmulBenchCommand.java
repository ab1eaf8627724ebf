package dev.mim4j.samples;

import java.util.Locale;
import java.util.concurrent.Callable;

import dev.mim4j.training.MatmulRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The machine's matrix-product rate in mim4j's libtorch: what a step's analytic FLOPs are set against. */
@Command(name = "bench-matmul", mixinStandardHelpOptions = true,
        description = "Prints the GFLOP/s of square matrix products in mim4j's libtorch, fp32 or bf16, as one JSON"
                + " line: the rate a training step's FLOPs are measured against.")
final class MatmulBenchCommand implements Callable<Integer> {

    @Mixin
    ThreadsOption threads;

    @Option(names = "--size", defaultValue = "2048", description = "Rows and columns of each matrix (default:"
            + " ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--bf16", description = "bf16 matrices instead of fp32.")
    boolean bf16;

    @Override
    public Integer call() {
        int used = threads.value(bf16);
        double rate = MatmulRate.gigaflops(size, bf16, used);
        System.out.println(String.format(Locale.ROOT, "{\"matmul\": \"%s\", \"size\": %d, \"threads\": %d,"
                + " \"gflops\": %.1f}", bf16 ? "bf16" : "fp32", size, used, rate));
        return 0;
    }
}
