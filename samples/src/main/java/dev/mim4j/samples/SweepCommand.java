package dev.mim4j.samples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.training.MachineSettings;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.RunSummary;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.eval.FeatureExtractor;
import dev.mim4j.training.eval.Features;
import dev.mim4j.training.eval.Knn;
import dev.mim4j.training.eval.LinearProbe;
import dev.mim4j.training.eval.LinearProbeConfig;
import dev.mim4j.training.plot.Curves;
import dev.mim4j.training.plot.Point;
import dev.mim4j.training.preset.Preset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The MAE paper's mask-ratio question, measured: one pre-training per ratio under the same budget,
 * each encoder then linear-probed and kNN-evaluated, written as JSON lines and drawn against the ratio.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Pre-trains the recipe once per mask ratio (same epochs, batch and seed), linear-probes and"
                + " kNN-evaluates each encoder, and writes sweep.jsonl and sweep.png (accuracy against mask ratio).")
final class SweepCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Mixin
    TrainTestSplits data;

    @Spec
    CommandSpec command;

    @Mixin
    MachineOptions machine;

    @Option(names = "--ratios", split = ",", defaultValue = "0.25,0.5,0.75,0.9",
            description = "Mask ratios (default: ${DEFAULT-VALUE}).")
    List<Double> ratios;

    @Option(names = "--epochs", defaultValue = "5", description = "Pre-training epochs per ratio (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "256", description = "Pre-training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", description = "Pre-training base rate per 256 images (default: the recipe's paper's).")
    Double baseLearningRate;

    @Option(names = "--probe-epochs", defaultValue = "30", description = "Linear-probe epochs (default: ${DEFAULT-VALUE}).")
    int probeEpochs;

    @Option(names = "--probe-lr", defaultValue = "0.1", description = "Linear-probe base rate per 256 (MAE's 0.1"
            + " undertrains small data; try 10) (default: ${DEFAULT-VALUE}).")
    double probeLearningRate;

    @Option(names = "--pooling", defaultValue = "mean", description = "cls or mean (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", defaultValue = "runs/sweep", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        TrainTest sets = data.datasets();
        ImageSize size = sets.size();
        Normalize normalization = data.format.normalization(sets.train(), seed);
        ImageTransform view = Transforms.eval(size.height(), normalization);
        Preset preset = model.trainingPreset(command.commandLine().getParseResult().hasMatchedOption("--recipe"));
        TrainingData training = new TrainingData(sets.train(), preset.augmentation(size.height(), normalization), view,
                normalization, data.format.policy(), data.format.maxBadImageShare());
        MimRecipe base = model.recipe(size.height(), size.width(), size.channels());
        Path results = output.resolve("sweep.jsonl");
        for (Path earlier : List.of(results, output.resolve("sweep.png"))) {
            if (Files.exists(earlier, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("--output " + output + " already holds a sweep (" + earlier.getFileName()
                        + "), which this one would mix with or replace; choose another --output");
            }
        }
        Files.createDirectories(output);
        Map<String, List<Point>> curves = new LinkedHashMap<>();
        curves.put("linear probe top-1", new ArrayList<>());
        curves.put("kNN top-1", new ArrayList<>());
        for (double ratio : ratios) {
            MimRecipe recipe = base.toBuilder().masking(base.masking().withRatio(ratio)).build();
            TrainConfig.Builder config = preset.config(epochs, batch).toBuilder().seed(seed).picturesEveryEpochs(0);
            if (baseLearningRate != null) {
                config.baseLearningRate(baseLearningRate);
            }
            Path run = output.resolve(String.format(Locale.ROOT, "ratio-%.2f", ratio));
            System.out.println("mask ratio " + ratio + ": pre-training into " + run);
            Pretrainer trainer = Pretrainer.start(recipe, config.build(), training, run).presetName(preset.name())
                    .machine(MachineSettings.defaults().withThreads(machine.threads()).withLoaderWorkers(machine.workers))
                    .listener(new ProgressReporter(System.out, System.console() != null));
            RunSummary summary = trainer.run();
            Pooling pool = Pooling.named(pooling);
            try (Features train = FeatureExtractor.extract(trainer.model().encoder(), sets.train(), view, pool, 256,
                    machine.workers);
                    Features test = FeatureExtractor.extract(trainer.model().encoder(), sets.test(), view, pool, 256,
                            machine.workers)) {
                int classes = sets.classes(train, test);
                double probe = LinearProbe.train(train, test, classes, new LinearProbeConfig(probeEpochs,
                        Math.min(256, train.count()), probeLearningRate, Math.min(10, probeEpochs / 9.0), 0, seed),
                        null).top1();
                double knn = Knn.knn(train, test, Math.min(Knn.DEFAULT_K, train.count()), Knn.DEFAULT_TEMPERATURE,
                        classes).top1();
                curves.get("linear probe top-1").add(new Point(ratio, probe));
                curves.get("kNN top-1").add(new Point(ratio, knn));
                String line = String.format(Locale.ROOT, "{\"mask_ratio\": %.4f, \"linprobe_top1\": %.4f,"
                        + " \"knn_top1\": %.4f, \"pretrain_seconds\": %.1f, \"final_loss\": %.5f, \"epochs\": %d,"
                        + " \"seed\": %d}", ratio, probe, knn, summary.seconds(), summary.lastEpochLoss(), epochs, seed);
                Files.writeString(results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                System.out.println(line);
            }
        }
        Path picture = output.resolve("sweep.png");
        Curves.xy("Mask ratio sweep", "mask ratio", "top-1 accuracy", curves, picture);
        System.out.println("wrote " + results.toAbsolutePath() + " and " + picture.toAbsolutePath());
        return 0;
    }
}
