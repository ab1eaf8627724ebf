package dev.mim4j.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.training.NativeBf16;
import dev.mim4j.training.StepBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Times training steps on random images and prints one JSON line with the fields of the reference's
 * {@code step_bench.py}, for the same configurations, so that the two sit side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times pre-training steps on random images; prints one JSON line like the reference's"
                + " step_bench.py (run both in one sitting, same threads and environment).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "mae or simmim (with demo, any preset)")
    String recipe;

    @Parameters(index = "1", description = "tiny32, tiny224 or base224 (step_bench.py's CONFIGS), or demo (what"
            + " pretrain trains on the demo data, to set beside pretrain's own img/s)")
    String config;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--batch", defaultValue = "32", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps after 2 warm-up steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--bf16", description = "bf16 autocast on the CPU (timed as asked even on a CPU without native"
            + " bf16, where it is slower than fp32; the benchmark then says so).")
    boolean bf16;

    @Override
    public Integer call() {
        MimRecipe chosen = recipe(recipe, config);
        if (bf16 && NativeBf16.isMissing()) {
            // through the logger, as the training loop says it: the tool prints both the same way (ToolLogging)
            System.getLogger(BenchCommand.class.getName()).log(System.Logger.Level.WARNING,
                    NativeBf16.sentence("timed in bf16 all the same, as asked"));
        }
        StepBenchmark.Result r = StepBenchmark.run(chosen, batch, steps, threads.value(bf16), bf16);
        StepBenchmark.Phases p = r.phases();
        System.out.println(String.format(Locale.ROOT, "{\"impl\": \"mim4j-0.1.0-libtorch-2.10.0%s\", \"recipe\": \"%s\","
                + " \"config\": \"%s\", \"batch\": %d, \"threads\": %d, \"median_s\": %.5f, \"min_s\": %.5f,"
                + " \"img_per_s\": %.3f, \"loss\": %.4f, \"peak_rss_mb\": %d, \"phases_median_s\": {\"masking\": %.5f,"
                + " \"forward\": %.5f, \"backward\": %.5f, \"optimizer\": %.5f}}", bf16 ? "-bf16" : "", recipe,
                config, r.batch(), r.threads(), r.medianSeconds(), r.minSeconds(), r.imagesPerSecond(), r.loss(),
                r.peakResidentBytes() >> 20, p.masking(), p.forward(), p.backward(), p.optimizer()));
        // the same phases as a short table, on standard error so that standard output stays one JSON line
        System.err.println(table(p, r.medianSeconds()));
        return 0;
    }

    /** Each phase's median time and its share of the median step. */
    static String table(StepBenchmark.Phases p, double step) {
        StringBuilder table = new StringBuilder("phase        median s   of the step");
        String[] names = {"masking", "forward", "backward", "optimizer"};
        double[] seconds = {p.masking(), p.forward(), p.backward(), p.optimizer()};
        for (int i = 0; i < names.length; i++) {
            table.append(String.format(Locale.ROOT, "%n%-10s %10.5f %12.1f%%", names[i], seconds[i],
                    100 * seconds[i] / step));
        }
        return table.append(String.format(Locale.ROOT, "%n%-10s %10.5f", "step", step)).toString();
    }

    /** What {@code ./mim4j pretrain --recipe RECIPE} trains on the demo's 28x28 grayscale images. */
    private static MimRecipe demo(String recipe) {
        ModelOptions options = CommandLine.populateCommand(new ModelOptions(), "--recipe", recipe);
        try {
            return options.recipe(28, 28, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** step_bench.py's configurations: image, patch, width, depth, heads, decoder width/depth/heads, mask patch. */
    static MimRecipe recipe(String recipe, String config) {
        if (config.equals("demo")) {
            return demo(recipe);
        }
        int[] c = switch (config) {
            case "tiny32" -> new int[] {32, 4, 192, 12, 3, 128, 4, 4, 8};
            case "tiny224" -> new int[] {224, 16, 192, 12, 3, 128, 4, 4, 32};
            case "base224" -> new int[] {224, 16, 768, 12, 12, 512, 8, 16, 32};
            default -> throw new IllegalArgumentException("config '" + config + "' is not one of tiny32, tiny224, base224,"
                    + " demo");
        };
        ViT.Builder vit = ViT.builder().image(c[0], c[0], 3).patchSize(c[1]).width(c[2]).depth(c[3]).heads(c[4]);
        return switch (recipe) {
            case "mae" -> MimRecipe.mae(vit.build()).toBuilder().decoder(Decoder.transformer(c[5], c[6], c[7])).build();
            case "simmim" -> MimRecipe.simmimBuilder(vit.qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1).dropPathRate(0.1)
                    .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS)
                    .initialization(Initialization.TRUNC_NORMAL).build())
                    .masking(Masking.blocks(c[8], 0.6)).build();
            default -> throw new IllegalArgumentException("recipe '" + recipe + "' is not one of mae, simmim");
        };
    }
}
