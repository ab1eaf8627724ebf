package dev.mim4j.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Natives;
import dev.mim4j.models.ResidentMemory;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.Batch;
import dev.mim4j.training.data.BatchLoader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The one training loop, for every {@link TrainingTask}: batches from worker threads, one libtorch
 * thread that runs the task's loss, backward and AdamW under a per-iteration warm-up and half-cosine
 * schedule, gradient accumulation and clipping, optional bf16 autocast, a guard against non-finite
 * losses, the data's bad-image policy, checkpoints (kept {@code keepCheckpoints} deep) that resume
 * exactly, and the task's work at the end of each epoch. The output folder is locked while the run goes
 * on: a second run on it is refused.
 *
 * <p>Each step runs inside a {@link PointerScope}, so native memory stays flat however long the run.
 * All libtorch calls happen on the thread that calls {@link #run()}.
 */
public final class TrainingLoop {

    private static final System.Logger LOG = System.getLogger(TrainingLoop.class.getName());

    private final TrainingTask task;
    private final TrainConfig config;
    private final MachineSettings machine;
    private final TrainingData data;
    private final Path output;
    private final Path resumeFrom;
    private final TrainingPosition resumeAt;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int nonFinitePatience = DEFAULT_NON_FINITE_PATIENCE;
    private String presetName;
    private StopRequest stop = new StopRequest();
    private Map<String, String> ownMetadata = Map.of();

    /** Steps in a row whose loss may be NaN or infinite, under the SKIP policy, before the run gives up. */
    public static final int DEFAULT_NON_FINITE_PATIENCE = 20;

    /**
     * A run of {@code task}, or its continuation from {@code resumeFrom} at {@code resumeAt} (both null
     * for a new run).
     *
     * @throws IllegalArgumentException naming what does not fit: the data's channels or size, a batch
     *     larger than the data
     */
    public TrainingLoop(TrainingTask task, TrainConfig config, MachineSettings machine, TrainingData data,
            Path output, Path resumeFrom, TrainingPosition resumeAt) {
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("task", task);
        required.put("config", config);
        required.put("machine settings", machine);
        required.put("data", data);
        required.put("output folder", output);
        required.forEach((what, value) -> {
            if (value == null) {
                throw new Mim4jException(what, "a training loop needs its " + what + "; none was given");
            }
        });
        checkOutputIsAFolder(output);
        if ((resumeFrom == null) != (resumeAt == null)) {
            throw new Mim4jException("resume", "a resumed run needs both its checkpoint and its position");
        }
        checkData(task.input(), config, data);
        this.task = task;
        this.config = config;
        this.machine = machine;
        this.data = data;
        this.output = output;
        this.resumeFrom = resumeFrom;
        this.resumeAt = resumeAt;
    }

    /** Records the name of the preset the run trains with in its checkpoints ({@link Checkpoints#readPresetName}). */
    TrainingLoop presetName(String name) {
        this.presetName = name;
        return this;
    }

    /**
     * Checks that {@code data} can feed a model taking {@code input} in batches of the config's size.
     *
     * @throws IllegalArgumentException naming the data and the numbers, if it cannot
     */
    public static void checkData(ImageSpec input, TrainConfig config, TrainingData data) {
        if (data.dataset().channels() != input.channels()) {
            throw new Mim4jException("data", "the dataset has " + data.dataset().channels() + "-channel images but the"
                    + " model takes " + input.channels() + " channels (" + data.dataset().describe() + ")");
        }
        if (data.dataset().size() < config.batchSize()) {
            throw new Mim4jException("data", "the dataset has " + data.dataset().size() + " images, fewer than one"
                    + " batch of " + config.batchSize());
        }
    }

    /**
     * Refuses an output folder that is a file.
     *
     * @throws IllegalArgumentException naming it
     */
    public static void checkOutputIsAFolder(Path output) {
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new Mim4jException(Mim4jException.OUTPUT, "the output folder " + output + " is a file; give a"
                    + " folder (it is created when missing)");
        }
    }

    /**
     * Refuses a patience below 1.
     *
     * @throws IllegalArgumentException naming it
     */
    public static int checkNonFinitePatience(int steps) {
        if (steps < 1) {
            throw new Mim4jException("non-finite patience", "the non-finite loss patience " + steps
                    + " must be at least 1 step");
        }
        return steps;
    }

    /** The optimiser steps of a whole run of {@code config} over {@code datasetSize} images. */
    public static long totalSteps(TrainConfig config, int datasetSize) {
        int batchesPerEpoch = BatchLoader.batchesPerEpoch(datasetSize, config.batchSize(), true, 1);
        return (long) config.epochs() * batchesPerEpoch / config.accumulation();
    }

    /** The micro-batch at which a whole run ends: its last accumulation window closes there. */
    static long lastMicroBatch(TrainConfig config, int datasetSize) {
        return totalSteps(config, datasetSize) * config.accumulation();
    }

    public TrainingLoop listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Under {@link NonFiniteLossPolicy#SKIP}, the most steps in a row whose loss may be NaN or infinite;
     * one more stops the run with a {@link NonFiniteLossException} ({@value #DEFAULT_NON_FINITE_PATIENCE}
     * unless set).
     */
    public TrainingLoop nonFinitePatience(int steps) {
        this.nonFinitePatience = checkNonFinitePatience(steps);
        return this;
    }

    /**
     * Lets {@code request} stop the run gracefully: the step under way is finished and saved
     * ({@link StopRequest}).
     */
    public TrainingLoop stopRequest(StopRequest request) {
        this.stop = Objects.requireNonNull(request, "request");
        return this;
    }

    /** Entries of the program's own, recorded in every checkpoint beside the loop's ({@link Pretrainer#checkpointMetadata}). */
    TrainingLoop checkpointMetadata(Map<String, String> entries) {
        this.ownMetadata = Map.copyOf(entries);
        return this;
    }

    /**
     * Runs to the last epoch.
     *
     * @throws NonFiniteLossException when the loss is NaN or infinite and the policy is STOP
     */
    public RunSummary run() throws IOException {
        try (OutputLock lock = OutputLock.take(output)) {
            return train();
        }
    }

    /** The run itself, while this process holds the output folder's lock. */
    private RunSummary train() throws IOException {
        Device device = Devices.resolve(machine.device());
        boolean bf16 = machine.runsBf16(config.bf16(), device.is_cpu());
        if (config.bf16() && !bf16) {
            LOG.log(System.Logger.Level.WARNING, NativeBf16.sentence("this run trains in float32 here (forcing bf16:"
                    + " MachineSettings.withBf16Forced, --force-bf16)"));
        }
        Natives.threads(machine.threadsFor(bf16));
        if (resumeFrom != null) {
            Checkpoints.setAsideDamaged(output, resumeAt.step());
        }
        Checkpoints.checkOutputFolder(output, resumeFrom == null ? -1 : resumeAt.step());
        // this process holds the lock: a temporary file here is the remains of a write that was killed
        Checkpoints.removeUnfinishedWrites(output);
        // the task's metadata first: a part that spec JSON cannot write fails here, not at the first checkpoint
        Map<String, String> metadata = new LinkedHashMap<>(ownMetadata);
        metadata.putAll(task.metadata());
        metadata.put(Checkpoints.DATA, data.dataset().describe());
        metadata.put(Checkpoints.DATA_SIZE, String.valueOf(data.dataset().size()));
        if (presetName != null) {
            metadata.put(Checkpoints.PRESET, presetName);
        }
        Module model = task.module();
        model.to(device, false);
        model.train(true);
        AdamW optimizer = new AdamW(ParameterGroups.of(model, task.parameterRoles(), config.decayTokens()),
                config.beta1(), config.beta2(), config.epsilon(), config.weightDecay());
        task.learningRateScales().forEach(optimizer::scaleLearningRate);
        ImageSpec input = task.input();
        ImageSize size = new ImageSize(input.channels(), input.height(), input.width());
        int batchesPerEpoch = BatchLoader.batchesPerEpoch(data.dataset().size(), config.batchSize(), true, 1);
        TrainingPosition start = resumeAt == null ? TrainingPosition.start() : resumeAt;
        if (resumeFrom != null) {
            Checkpoints.restore(resumeFrom, task, optimizer, start.optimizerSteps());
        }
        long step = start.step();
        long microBatch = start.nextMicroBatch(batchesPerEpoch);
        int epochPosition = start.imagePosition();
        long skippedSteps = start.skippedSteps();
        int accumulation = config.accumulation();
        long totalSteps = totalSteps(config, data.dataset().size());
        long lastMicroBatch = lastMicroBatch(config, data.dataset().size());
        LearningRateSchedule schedule = LearningRateSchedule.of(config);
        Files.createDirectories(output);
        Path lastCheckpoint = resumeFrom == null ? null : Checkpoints.resolve(resumeFrom);
        long checkpointedStep = start.step();
        String description = task.describe() + "; " + config.describe() + "; "
                + machine.withThreads(machine.threadsFor(bf16)).describe() + "; data "
                + data.dataset().describe();
        listeners.forEach(l -> l.onStartingAt(start.step(), start.epochsCompleted(batchesPerEpoch)));
        listeners.forEach(l -> l.onStart(description, totalSteps));
        TrainingListener broadcast = new Broadcast(listeners);

        long started = System.nanoTime();
        long epochWorkNanos = 0;
        long imagesSeen = 0;
        long skippedImages = 0;
        double firstEpochLoss = Double.NaN;
        double lastEpochLoss = Double.NaN;
        double stepLoss = 0;
        // set here too, for a run resumed inside an accumulation window (after a change of batch size)
        double lr = schedule.at((double) microBatch / batchesPerEpoch);
        boolean poisoned = false;
        int poisonedInARow = 0;
        // a resumed epoch's mean goes on from the steps it had before the checkpoint
        double epochLoss = start.epochLossSum();
        long epochSteps = start.epochSteps();
        StepClock clock = new StepClock();
        while (microBatch < lastMicroBatch) {
            int epoch = (int) (microBatch / batchesPerEpoch);
            int startBatch = (int) (microBatch % batchesPerEpoch);
            try (BatchLoader loader = BatchLoader.builder(data.dataset(), data.trainTransform(), size)
                    .batchSize(config.batchSize()).seed(config.seed()).epoch(epoch)
                    .resumeAt(startBatch, startBatch == 0 ? 0 : epochPosition)
                    .workers(machine.loaderWorkers()).badImages(data.badImages())
                    .maxBadImages(data.maxBadImages()).build()) {
                while (microBatch < lastMicroBatch) {
                    // before waiting for the next batch, which a slow loader may take a while to decode
                    if (stop.requested() && microBatch % accumulation == 0) {
                        if (step > checkpointedStep) {
                            lastCheckpoint = checkpoint(optimizer, new TrainingPosition(step, microBatch, epochPosition,
                                    skippedSteps, optimizer.steps(), epochLoss, epochSteps), metadata);
                        }
                        throw new RunStoppedException(stop.reason().orElseThrow(), step, totalSteps, lastCheckpoint);
                    }
                    long waitStarted = System.nanoTime();
                    if (!loader.hasNext()) {
                        break;
                    }
                    Batch batch = loader.next();
                    clock.waitedSince(waitStarted);
                    epochPosition = batch.endPosition();
                    if (microBatch % accumulation == 0) {
                        // MAE sets the rate at the first micro-batch of an accumulation window
                        lr = schedule.at(epoch + (double) (microBatch % batchesPerEpoch) / batchesPerEpoch);
                    }
                    float loss;
                    try (PointerScope scope = new PointerScope()) {
                        Tensor lossTensor;
                        Recycler recycler = new Recycler(loader, batch);
                        try (Autocast autocast = Autocast.bf16(device, bf16)) {
                            lossTensor = task.loss(new StepInput(batch, recycler, device, config.seed(), microBatch));
                        } finally {
                            recycler.run();
                        }
                        loss = lossTensor.item_float();
                        if (Float.isFinite(loss)) {
                            lossTensor.div(new Scalar((double) accumulation)).backward();
                        }
                    }
                    microBatch++;
                    imagesSeen += batch.size();
                    if (!Float.isFinite(loss)) {
                        if (config.nonFiniteLoss() == NonFiniteLossPolicy.STOP) {
                            throw new NonFiniteLossException(step + 1, epoch, loss, lastCheckpoint);
                        }
                        poisoned = true;
                    }
                    stepLoss += loss / accumulation;
                    if (microBatch % accumulation != 0) {
                        continue;
                    }
                    if (poisoned) {
                        // the whole accumulation window is dropped: no update, the step still counts
                        optimizer.zeroGrad();
                        skippedSteps++;
                        step++;
                        poisoned = false;
                        stepLoss = 0;
                        clock.restart();
                        if (++poisonedInARow > nonFinitePatience) {
                            throw NonFiniteLossException.gaveUp(step, epoch, poisonedInARow, lastCheckpoint);
                        }
                        continue;
                    }
                    poisonedInARow = 0;
                    double gradientNorm;
                    try (PointerScope scope = new PointerScope()) {
                        gradientNorm = GradientNorm.clip(optimizer.parameters().values(), config.clipGradNorm());
                        optimizer.step(lr);
                        optimizer.zeroGrad();
                    }
                    step++;
                    StepClock.Lap lap = clock.lap();
                    StepMetrics metrics = new StepMetrics(step, totalSteps, epoch, stepLoss, lr, gradientNorm,
                            config.effectiveBatch() / lap.seconds(), lap.waitedSeconds(), ResidentMemory.bytes(),
                            skippedSteps);
                    listeners.forEach(l -> l.onStep(metrics));
                    epochLoss += stepLoss;
                    epochSteps++;
                    stepLoss = 0;
                    boolean endsEpoch = microBatch % batchesPerEpoch == 0 || microBatch >= lastMicroBatch;
                    // the checkpoint at an epoch's end comes after the epoch's own work, below
                    if (config.checkpointEverySteps() > 0 && step % config.checkpointEverySteps() == 0 && !endsEpoch) {
                        lastCheckpoint = checkpoint(optimizer, new TrainingPosition(step, microBatch, epochPosition,
                                skippedSteps, optimizer.steps(), epochLoss, epochSteps), metadata);
                        checkpointedStep = step;
                    }
                }
                skippedImages += loader.skippedImages();
                if (!loader.hasNext() && microBatch % batchesPerEpoch != 0 && microBatch < lastMicroBatch) {
                    // Skipped images left too few for the epoch's last batches: the epoch ends here, and a
                    // partial accumulation window with it.
                    microBatch = Math.min(lastMicroBatch, (long) (epoch + 1) * batchesPerEpoch);
                    optimizer.zeroGrad();
                    stepLoss = 0;
                    poisoned = false;
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            boolean epochDone = microBatch % batchesPerEpoch == 0 || microBatch >= lastMicroBatch;
            if (epochDone) {
                if (epochSteps > 0) {
                    double mean = epochLoss / epochSteps;
                    if (Double.isNaN(firstEpochLoss)) {
                        firstEpochLoss = mean;
                    }
                    lastEpochLoss = mean;
                    listeners.forEach(l -> l.onEpochEnd(epoch, mean));
                }
                epochLoss = 0;
                epochSteps = 0;
                long workStarted = System.nanoTime();
                task.afterEpoch(new EpochEnd(epoch, epoch + 1 == config.epochs(), device, output, broadcast));
                epochWorkNanos += System.nanoTime() - workStarted;
                // After the epoch's work: a checkpoint at an epoch's end says that all of it was done, so a
                // run killed during an evaluation does that evaluation again. Only between accumulation
                // windows, whose partial gradients a checkpoint does not hold.
                if (microBatch % accumulation == 0) {
                    // a run cut short by accumulation ends inside its last epoch, where a longer run goes on
                    int nextImage = microBatch % batchesPerEpoch == 0 ? 0 : epochPosition;
                    lastCheckpoint = checkpoint(optimizer, new TrainingPosition(step, microBatch, nextImage,
                            skippedSteps, optimizer.steps()), metadata);
                    checkpointedStep = step;
                }
                clock.restart(); // the next step's rate leaves the epoch's work out
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // the rate of training alone: evaluations and pictures are part of the wall time, not of the images/s
        double imagesPerSecond = imagesSeen / Math.max(1e-9, seconds - epochWorkNanos / 1e9);
        RunSummary summary = new RunSummary(step, seconds, imagesPerSecond, firstEpochLoss, lastEpochLoss,
                skippedSteps, skippedImages, lastCheckpoint, output);
        listeners.forEach(l -> l.onFinish(summary));
        return summary;
    }

    private Path checkpoint(AdamW optimizer, TrainingPosition position, Map<String, String> metadata)
            throws IOException {
        Path path = Checkpoints.write(output, task, metadata, optimizer, config, position, data.normalization(),
                config.keepCheckpoints());
        listeners.forEach(l -> l.onCheckpoint(path));
        return path;
    }

    /** Gives a batch's buffer back to the loader once, as soon as the task has copied the images. */
    private static final class Recycler implements Runnable {
        private final BatchLoader loader;
        private Batch batch;

        Recycler(BatchLoader loader, Batch batch) {
            this.loader = loader;
            this.batch = batch;
        }

        @Override
        public void run() {
            if (batch != null) {
                loader.recycle(batch);
                batch = null;
            }
        }
    }

    /** Hands what a task reports at an epoch's end to every listener of the run. */
    private record Broadcast(List<TrainingListener> listeners) implements TrainingListener {
        @Override
        public void onEvaluation(int epoch, String metric, double value) {
            listeners.forEach(l -> l.onEvaluation(epoch, metric, value));
        }

        @Override
        public void onPicture(Path picture) {
            listeners.forEach(l -> l.onPicture(picture));
        }
    }
}
