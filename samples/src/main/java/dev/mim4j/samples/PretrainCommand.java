package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.training.CheckpointState;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.MachineSettings;
import dev.mim4j.training.MetricsLog;
import dev.mim4j.training.NonFiniteLossPolicy;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.RunStoppedException;
import dev.mim4j.training.RunSummary;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.TrainingLoop;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.distributed.World;
import dev.mim4j.training.eval.DatasetRange;
import dev.mim4j.training.eval.Knn;
import dev.mim4j.training.eval.KnnMonitor;
import dev.mim4j.training.preset.Preset;
import dev.mim4j.training.preset.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** Pre-trains a recipe and leaves checkpoints, metrics and reconstruction pictures in an output folder. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pre-trains a preset (--recipe): MAE, SimMIM, or one of one's own. With no options: a short MAE run on the shipped Fashion-MNIST demo"
                + " data. Prints the output folder, which receives checkpoints, metrics.jsonl and reconstruction PNGs.")
final class PretrainCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Mixin
    MachineOptions machine;

    @Mixin
    WorldOptions world;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "256", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--accum", defaultValue = "1", description = "Batches accumulated per optimiser step (default: ${DEFAULT-VALUE}).")
    int accumulation;

    @Option(names = "--lr", description = "Base learning rate per the preset's batch of reference (default: the"
            + " --recipe preset's: MAE 1.5e-4 per 256 images, SimMIM 2e-4 per 512).")
    Double baseLearningRate;

    @Option(names = "--warmup", description = "Warm-up epochs (default: the preset's, at most a tenth"
            + " of the run: MAE 40, SimMIM 10).")
    Double warmupEpochs;

    @Option(names = "--clip", description = "Maximum gradient norm, 0 for none (default: the preset's:"
            + " MAE none, SimMIM 5).")
    Double clip;

    @Option(names = "--output", description = "Output folder (default: runs/<recipe>-<date-time>).")
    Path output;

    @Option(names = "--resume", description = "A checkpoint file, or a folder whose newest checkpoint that reads back"
            + " whole is taken; the run continues with that checkpoint's recipe, settings and data (--data and its"
            + " flags are needed only if the images moved). A larger --epochs extends it (a finished run too);"
            + " another flag that differs from the checkpoint's is refused unless --override.")
    Path resume;

    @Option(names = "--override", description = "With --resume: run with the given --batch, --lr, --data, ... even"
            + " where they differ from the checkpoint's; each change is recorded in metrics.jsonl. The model"
            + " (--recipe, --model, --spec, --image-size) can never change: the weights are that model's.")
    boolean override;

    @Option(names = "--nan-patience", defaultValue = "20", description = "With --on-nan skip: the most non-finite"
            + " steps in a row before the run stops (default: ${DEFAULT-VALUE}).")
    int nanPatience;

    @Spec
    CommandSpec command;

    @Option(names = "--device", defaultValue = "auto", description = "auto (CUDA when present), cpu, cuda or cuda:N"
            + " (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--bf16", description = "bf16 autocast (on the CPU too; on a CPU without native bf16, which"
            + " is slower there than fp32, the run says so and stays in fp32 unless --force-bf16).")
    boolean bf16;

    @Option(names = "--force-bf16", description = "With --bf16 (or on resuming a bf16 run): bf16 even on a CPU without"
            + " native bf16.")
    boolean forceBf16;

    @Option(names = "--seed", defaultValue = "0", description = "The seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--on-nan", defaultValue = "stop", description = "stop or skip on a NaN/infinite loss (default: ${DEFAULT-VALUE}).")
    String onNan;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Steps between checkpoints; 0 = end of"
            + " each epoch (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--keep", defaultValue = "3", description = "Checkpoints kept (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--pictures-every", defaultValue = "1", description = "Epochs between reconstruction pictures;"
            + " 0 = none (default: ${DEFAULT-VALUE}).")
    int picturesEvery;

    @Option(names = "--knn-every", defaultValue = "0", description = "Epochs between kNN evaluations of the"
            + " encoder (and after the last epoch), written to metrics.jsonl as knn_top1; 0 = none. Needs labelled"
            + " data (default: ${DEFAULT-VALUE}).")
    int knnEvery;

    @Option(names = "--knn-test-data", description = "The images the kNN monitor classifies, read like --data, with"
            + " --data as the memory bank; without it, the last fifth of --data is classified by the first four"
            + " fifths.")
    String knnTestData;

    @Option(names = "--knn-test-labels", description = "The IDX labels file that goes with --knn-test-data.")
    Path knnTestLabels;

    @Override
    public Integer call() throws Exception {
        nonFiniteLossPolicy();
        if (output != null) {
            TrainingLoop.checkOutputIsAFolder(output);
        }
        if (knnEvery < 0) {
            throw new IllegalArgumentException("--knn-every " + knnEvery + " must be 0 (none) or a number of epochs");
        }
        Path resumed = resume == null ? null : Checkpoints.resumable(resume);
        CheckpointState state = resumed == null ? null : Checkpoints.readState(resumed);
        if (resumed != null) {
            // without --data, the run's own data, as its checkpoint recorded it
            RecordedData.applyTo(data, resumed, state.recipe().backbone().image().channels(), parsed());
        }
        ImageDataset dataset = data.dataset();
        Pretrainer trainer;
        Path folder;
        TrainingData trainingData;
        List<ResumeChanges.Change> changes = List.of();
        long resumedStep = 0;
        if (resumed != null) {
            Path file = resumed;
            resumedStep = state.step();
            ImageSize size = modelSize(state.recipe().backbone().image());
            // the run's own recipe, preset and input normalisation, not ones computed again from this command's flags
            Preset preset = resumedPreset(file);
            checkTheModelIsKept(file, state.recipe(), size);
            trainingData = data.trainingData(dataset, Checkpoints.readNormalization(file), preset, size);
            folder = output != null ? output : (Files.isDirectory(resume) ? resume : file.toAbsolutePath().getParent());
            ResumeChanges resumeChanges = new ResumeChanges(file, state.config(), parsed());
            changes = resumeChanges.changes(this, Checkpoints.readDataDescription(file), dataset.describe(),
                    override);
            trainer = Pretrainer.resume(file, trainingData, folder).presetName(preset.name());
            trainer.config(resumeChanges.config());
        } else {
            ImageSize size = newRunSize(dataset);
            Preset preset = model.trainingPreset(parsed().hasMatchedOption("--recipe"));
            MimRecipe recipe = model.recipe(size.height(), size.width(), size.channels());
            trainingData = data.trainingData(dataset, data.format.normalization(dataset, seed), preset, size);
            TrainConfig config = config(preset);
            folder = output != null ? output : Path.of("runs", preset.name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            trainer = Pretrainer.start(recipe, config, trainingData, folder).presetName(preset.name());
        }
        trainer.nonFinitePatience(nanPatience).checkpointMetadata(RecordedData.KEY, RecordedData.of(data));
        // this machine's settings, also on --resume: a run moved to another machine keeps its hyperparameters
        trainer.machine(new MachineSettings(device, machine.threads(), machine.workers, forceBf16));
        if (knnEvery > 0) {
            trainer.evaluateEvery(knnEvery, knnMonitor(trainingData));
        }
        // in a data-parallel run, rank 0 alone reports and writes; the others train in silence
        try (World joined = world.join(device)) {
            trainer.world(joined);
            if (trainer.finished()) { // in the world's terms: its shards make its epochs
                if (joined.isFirst()) {
                    System.out.println(resumed + ": the run has finished its " + trainer.config().epochs()
                            + " epochs (step " + state.step() + "); resume with --epochs larger than "
                            + trainer.config().epochs() + " to train longer");
                }
                return 0;
            }
            return train(trainer, joined, folder, changes, resumedStep);
        }
    }

    /** Runs {@code trainer} in {@code joined}; rank 0 reports and keeps the metrics. The command's exit status. */
    private static int train(Pretrainer trainer, World joined, Path folder, List<ResumeChanges.Change> changes,
            long resumedStep) throws IOException {
        try (MetricsLog metrics = joined.isFirst() ? new MetricsLog(folder.resolve("metrics.jsonl")) : null;
                StopSignals signals = StopSignals.install(System.err)) {
            trainer.stopRequest(signals.request());
            if (metrics != null) {
                System.out.println("output folder: " + folder.toAbsolutePath());
                for (ResumeChanges.Change change : changes) {
                    metrics.recordOverride(resumedStep, change.flag(), change.checkpoint(), change.given());
                }
                trainer.listener(new ProgressReporter(System.out, System.console() != null)).listener(metrics);
            }
            RunSummary summary = trainer.run();
            if (metrics != null) {
                System.out.println("output folder: " + folder.toAbsolutePath() + " (last checkpoint "
                        + summary.lastCheckpoint().getFileName() + ", metrics " + metrics.path().getFileName() + ")");
            }
            return 0;
        } catch (RunStoppedException stopped) {
            if (joined.isFirst()) {
                System.out.println(stopped.getMessage() + stopped.checkpoint().map(saved -> "; continue with: mim4j"
                        + WorldOptions.launchPrefix(joined) + " pretrain --resume " + saved.toAbsolutePath().getParent())
                        .orElse(""));
            }
            return StopSignals.exitStatus(stopped);
        }
    }

    private NonFiniteLossPolicy nonFiniteLossPolicy() {
        return switch (onNan) {
            case "stop" -> NonFiniteLossPolicy.STOP;
            case "skip" -> NonFiniteLossPolicy.SKIP;
            default -> throw new IllegalArgumentException("--on-nan '" + onNan + "' is not one of stop, skip");
        };
    }

    private ParseResult parsed() {
        return command.commandLine().getParseResult();
    }

    /** A new run's image size: the --spec file's, else the data's (folders: --image-size). */
    private ImageSize newRunSize(ImageDataset dataset) throws IOException {
        Optional<ImageSpec> specImage = model.specImage();
        if (specImage.isEmpty()) {
            return data.outputSize(dataset);
        }
        ImageSize size = modelSize(specImage.get());
        if (dataset.channels() != size.channels()) {
            throw new IllegalArgumentException("--spec " + model.spec + " takes " + size.channels() + "-channel images,"
                    + " but --data gives " + dataset.channels() + " (" + dataset.describe() + ")");
        }
        dataset.fixedSize().filter(fixed -> !fixed.equals(size)).ifPresent(fixed -> {
            throw new IllegalArgumentException("--spec " + model.spec + " takes " + size + " images, but --data holds "
                    + fixed + " images (" + dataset.describe() + "); change the spec's image or the data");
        });
        return size;
    }

    /** The size the model takes; --image-size, when given, must be that size. */
    private ImageSize modelSize(ImageSpec image) {
        ImageSize size = new ImageSize(image.channels(), image.height(), image.width());
        if (parsed().hasMatchedOption("--image-size") && data.format.imageSize != image.height()) {
            throw new IllegalArgumentException("--image-size " + data.format.imageSize + " does not fit the model,"
                    + " which takes " + size + " images" + (resume != null ? " (the checkpoint's)" : " (--spec)")
                    + "; leave --image-size out");
        }
        return size;
    }

    /**
     * On --resume, refuses flags that would choose another model than the checkpoint's; each is compared
     * with the part of the run's recipe it chooses.
     */
    private void checkTheModelIsKept(Path file, MimRecipe saved, ImageSize size) throws IOException {
        ParseResult parsed = parsed();
        List<String> differing = new ArrayList<>();
        Optional<String> savedPreset = Checkpoints.readPresetName(file);
        if (parsed.hasMatchedOption("--recipe") && savedPreset.isPresent() && !model.recipe.equals(savedPreset.get())) {
            differing.add("--recipe " + model.recipe + " (the run's preset is " + savedPreset.get() + ")");
        }
        if (parsed.hasMatchedOption("--spec") || parsed.hasMatchedOption("--model")) {
            if (!parsed.hasMatchedOption("--recipe") && savedPreset.isPresent()) {
                model.recipe = savedPreset.get(); // the run's preset over the model asked for
            }
            MimRecipe asked = model.recipe(size.height(), size.width(), size.channels());
            boolean same = parsed.hasMatchedOption("--spec") ? asked.equals(saved)
                    : asked.backbone().equals(saved.backbone());
            if (!same) {
                differing.add(parsed.hasMatchedOption("--spec") ? "--spec " + model.spec : "--model " + model.model);
            }
        }
        if (model.maskRatio != null && !saved.masking().withRatio(model.maskRatio).equals(saved.masking())) {
            differing.add("--mask-ratio " + model.maskRatio);
        }
        if (model.maskPatch != null && !keepsMaskPatch(saved, model.maskPatch)) {
            differing.add("--mask-patch " + model.maskPatch);
        }
        if (!differing.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", differing) + ": " + file + " trains "
                    + saved.describe() + ", and a resumed run keeps its model, whose weights the checkpoint holds"
                    + " (even with --override); leave " + (differing.size() == 1 ? "it" : "them") + " out, or start"
                    + " a new run in another --output");
        }
    }

    private static boolean keepsMaskPatch(MimRecipe saved, int patch) {
        try {
            return saved.masking().withMaskPatch(patch).equals(saved.masking());
        } catch (SpecException e) {
            return false;
        }
    }

    /** kNN on the pre-training view, with the pre-training data (or its first four fifths) as the memory bank. */
    private KnnMonitor knnMonitor(TrainingData trainingData) throws IOException {
        ImageDataset dataset = trainingData.dataset();
        ImageDataset bank = dataset;
        ImageDataset queries;
        if (knnTestData != null) {
            queries = data.format.read(knnTestData, knnTestLabels, "--knn-test-data");
            if (!data.outputSize(queries).equals(data.outputSize(dataset))) {
                throw new IllegalArgumentException("--knn-test-data images come out at " + data.outputSize(queries)
                        + " but --data images at " + data.outputSize(dataset) + "; both must have one size");
            }
        } else {
            int cut = dataset.size() * 4 / 5;
            if (cut < 1 || cut == dataset.size()) {
                throw new IllegalArgumentException("--knn-every needs at least 2 images in --data to split into a"
                        + " memory bank and queries, or --knn-test-data; " + dataset.describe() + " has "
                        + dataset.size());
            }
            bank = DatasetRange.of(dataset, 0, cut);
            queries = DatasetRange.of(dataset, cut, dataset.size());
        }
        return new KnnMonitor(bank, queries, trainingData.viewTransform(), Pooling.MEAN,
                Math.min(Knn.DEFAULT_K, bank.size()), Knn.DEFAULT_TEMPERATURE, 256, machine.workers);
    }

    /**
     * The preset the checkpoint's run trains with; for a checkpoint that records none (written before presets
     * were recorded, or by a program that named none), the one --recipe names.
     */
    private Preset resumedPreset(Path file) throws IOException {
        Optional<String> saved = Checkpoints.readPresetName(file);
        if (saved.isEmpty()) {
            if (!parsed().hasMatchedOption("--recipe")) {
                throw new IllegalArgumentException(file + " records no preset (it was written before mim4j recorded"
                        + " them, or by a program that named none); say which preset's augmentation the resumed run"
                        + " takes: --recipe " + ModelOptions.presetChoices());
            }
            return model.preset();
        }
        try {
            return Presets.named(saved.get());
        } catch (Mim4jException e) {
            throw new IllegalArgumentException(file + " trains with the preset '" + saved.get() + "', which nothing"
                    + " on the class path provides; give the jar that provides it with --parts (or $MIM4J_PARTS with"
                    + " ./mim4j). " + e.getMessage(), e);
        }
    }

    private TrainConfig config(Preset preset) {
        TrainConfig.Builder b = preset.config(epochs, batch).toBuilder();
        b.accumulation(accumulation).bf16(bf16).seed(seed)
                .checkpointEverySteps(checkpointEvery).keepCheckpoints(keep).picturesEveryEpochs(picturesEvery);
        b.nonFiniteLoss(nonFiniteLossPolicy());
        if (baseLearningRate != null) {
            b.baseLearningRate(baseLearningRate);
        }
        if (warmupEpochs != null) {
            b.warmupEpochs(warmupEpochs);
        }
        if (clip != null) {
            b.clipGradNorm(clip);
        }
        return b.build();
    }
}
