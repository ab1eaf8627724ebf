package dev.mim4j.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.MachineSettings;
import dev.mim4j.training.MetricsLog;
import dev.mim4j.training.RunStoppedException;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.distributed.World;
import dev.mim4j.training.finetune.ClassifierPooling;
import dev.mim4j.training.finetune.FineTuneConfig;
import dev.mim4j.training.finetune.FineTuner;
import dev.mim4j.training.finetune.Mixup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fine-tunes a pre-trained encoder for classification, or trains the same ViT from scratch. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tunes the encoder of a pre-training checkpoint (or, with --scratch, the same ViT from"
                + " random weights) with a classification head; prints test top-1 after every epoch and writes"
                + " checkpoints and metrics.jsonl to the output folder.")
final class FineTuneCommand implements Callable<Integer> {

    @Mixin
    MachineOptions machine;

    @Mixin
    WorldOptions world;

    @Option(names = "--checkpoint", description = "The pre-training checkpoint (file or run folder) to start from,"
            + " or, with --scratch, whose ViT spec and normalisation to use.")
    Path checkpoint;

    @Option(names = "--scratch", description = "Random initial weights instead of the checkpoint's.")
    boolean scratch;

    @Option(names = "--resume", description = "A fine-tuning checkpoint or run folder to continue (with the"
            + " --checkpoint it started from, for the image size and normalisation).")
    Path resume;

    @Mixin
    TrainTestSplits data;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Base learning rate per 256 images (MAE uses 5e-4"
            + " for ViT-B at 100 epochs) (default: ${DEFAULT-VALUE}).")
    double baseLearningRate;

    @Option(names = "--layer-decay", defaultValue = "0.75", description = "Layer-wise learning-rate decay"
            + " (default: ${DEFAULT-VALUE}).")
    double layerDecay;

    @Option(names = "--drop-path", defaultValue = "0.1", description = "Drop path rate (default: ${DEFAULT-VALUE}).")
    double dropPath;

    @Option(names = "--mixup", defaultValue = "0.0", description = "Mixup alpha, 0 = off (MAE: 0.8) (default: ${DEFAULT-VALUE}).")
    double mixup;

    @Option(names = "--cutmix", defaultValue = "0.0", description = "CutMix alpha, 0 = off (MAE: 1.0) (default: ${DEFAULT-VALUE}).")
    double cutmix;

    @Option(names = "--smoothing", defaultValue = "0.1", description = "Label smoothing (default: ${DEFAULT-VALUE}).")
    double smoothing;

    @Option(names = "--pooling", defaultValue = "mean", description = "mean (with fc_norm, MAE's) or cls"
            + " (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto (CUDA when present), cpu, cuda or cuda:N"
            + " (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--output", description = "Output folder (default: runs/finetune-<date-time>).")
    Path output;

    @Override
    public Integer call() throws Exception {
        TrainTest sets = data.datasets();
        Path pretrainedRun = required(checkpoint);
        Normalize normalization = Checkpoints.readNormalization(pretrainedRun);
        Backbone spec = Checkpoints.readState(pretrainedRun).recipe().backbone();
        Path folder = output != null ? output : resume != null ? runFolder(resume) : Path.of("runs", "finetune-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        int size = spec.image().height();
        TrainingData train = new TrainingData(sets.train(), Transforms.maePretrain(size, normalization),
                Transforms.eval(size, normalization), normalization, data.format.policy(),
                data.format.maxBadImageShare());
        int classes = Math.max(sets.train().classNames().size(), maxLabel(sets) + 1);
        FineTuneConfig config = new FineTuneConfig(epochs, batch, baseLearningRate, 1e-6, Math.min(5, epochs / 10.0),
                0.05, layerDecay, dropPath, new Mixup(mixup, cutmix, 0.5, smoothing),
                ClassifierPooling.valueOf(pooling.toUpperCase(Locale.ROOT)), seed, 2);
        FineTuner tuner = (resume != null
                ? FineTuner.resume(resume, train, sets.test(), folder)
                : FineTuner.start(spec, scratch ? null : pretrainedRun, classes, config, train, sets.test(), folder))
                .machine(new MachineSettings(device, machine.threads(), machine.workers));
        // in a data-parallel run, rank 0 alone reports, writes and measures the test accuracy
        World joined = world.join(device);
        try (joined;
                MetricsLog metrics = joined.isFirst() ? new MetricsLog(folder.resolve("metrics.jsonl")) : null;
                StopSignals signals = StopSignals.install(System.err)) {
            tuner.world(joined).stopRequest(signals.request());
            if (metrics != null) {
                System.out.println("output folder: " + folder.toAbsolutePath());
                tuner.listener(new ProgressReporter(System.out, System.console() != null)).listener(metrics);
            }
            double top1 = tuner.run();
            if (metrics != null) {
                System.out.println(String.format(Locale.ROOT, "{\"finetune_top1\": %.4f, \"from\": \"%s\","
                        + " \"epochs\": %d}", top1, scratch ? "scratch" : pretrainedRun.toString(), epochs));
            }
        } catch (RunStoppedException stopped) {
            if (joined.isFirst()) {
                System.out.println(stopped.getMessage() + stopped.checkpoint().map(saved -> "; continue with the same"
                        + " command and --resume " + saved.toAbsolutePath().getParent()).orElse(""));
            }
            return StopSignals.exitStatus(stopped);
        }
        return 0;
    }

    private static Path runFolder(Path checkpointOrFolder) {
        return Files.isDirectory(checkpointOrFolder) ? checkpointOrFolder
                : checkpointOrFolder.toAbsolutePath().getParent();
    }

    private static Path required(Path checkpoint) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("give --checkpoint: the pre-training run whose encoder (or, with"
                    + " --scratch, whose spec) to fine-tune");
        }
        return checkpoint;
    }

    private static int maxLabel(TrainTest sets) {
        int max = -1;
        for (int i = 0; i < sets.train().size(); i++) {
            max = Math.max(max, sets.train().label(i));
        }
        return max;
    }
}
