package dev.mim4j.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import dev.mim4j.training.distributed.World;
import dev.mim4j.training.distributed.WorldException;
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
    private World world = World.single();

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

    /** The optimiser steps of a whole run of {@code config} over {@code datasetSize} images, in one process. */
    public static long totalSteps(TrainConfig config, int datasetSize) {
        return totalSteps(config, datasetSize, 1);
    }

    /**
     * The optimiser steps of a whole run of {@code config} over {@code datasetSize} images, in a world of
     * {@code processes}, each reading its shard in batches of the config's size.
     */
    public static long totalSteps(TrainConfig config, int datasetSize, int processes) {
        int batchesPerEpoch = BatchLoader.batchesPerEpoch(datasetSize, config.batchSize(), true, processes);
        return (long) config.epochs() * batchesPerEpoch / config.accumulation();
    }

    /** The micro-batch at which a whole run ends: its last accumulation window closes there. */
    static long lastMicroBatch(TrainConfig config, int datasetSize, int processes) {
        return totalSteps(config, datasetSize, processes) * config.accumulation();
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

    /**
     * Trains as one process of {@code world}: each rank reads its own shard of every epoch, the gradients are
     * averaged over the world before each update, and rank 0 alone writes checkpoints, metrics and pictures, tells
     * the listeners and runs the task's epoch-end work (the others wait). A world of one process unless set; the caller closes it.
     */
    public TrainingLoop world(World world) {
        this.world = Objects.requireNonNull(world, "world");
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
        if (!world.isFirst()) {
            return train(); // the output folder is rank 0's
        }
        try (OutputLock lock = OutputLock.take(output)) {
            return train();
        }
    }

    /** The run itself, while rank 0 holds the output folder's lock. */
    private RunSummary train() throws IOException {
        Device device = Devices.resolve(machine.device(), world.localRank());
        String where = device.str().getString();
        if (world.size() > 1 && !where.equals(world.device().str().getString())) {
            throw new Mim4jException("world", "this run trains on " + where + ", but its world was joined for tensors"
                    + " on " + world.device().str().getString() + "; join it with Devices.resolve(device, local rank)");
        }
        boolean bf16 = machine.runsBf16(config.bf16(), device.is_cpu());
        boolean writes = world.isFirst();
        if (config.bf16() && !bf16 && writes) {
            LOG.log(System.Logger.Level.WARNING, NativeBf16.sentence("this run trains in float32 here (forcing bf16:"
                    + " MachineSettings.withBf16Forced, --force-bf16)"));
        }
        Natives.threads(machine.threadsFor(bf16));
        if (writes) {
            if (resumeFrom != null) {
                Checkpoints.setAsideDamaged(output, resumeAt.step());
            }
            Checkpoints.checkOutputFolder(output, resumeFrom == null ? -1 : resumeAt.step());
            // rank 0 holds the lock: a temporary file here is the remains of a write that was killed
            Checkpoints.removeUnfinishedWrites(output);
        }
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
        int datasetSize = data.dataset().size();
        int batchesPerEpoch = BatchLoader.batchesPerEpoch(datasetSize, config.batchSize(), true, world.size());
        if (batchesPerEpoch == 0) { // every rank finds it: none waits in a collective for the others
            throw new Mim4jException("data", "the dataset's " + datasetSize + " images, split over " + world.size()
                    + " processes, give each " + datasetSize / world.size() + ", fewer than one batch of "
                    + config.batchSize() + "; use fewer processes or a smaller batch");
        }
        TrainingPosition start = resumeAt == null ? TrainingPosition.start() : resumeAt;
        if (resumeFrom != null) {
            Checkpoints.restore(resumeFrom, task, optimizer, start.optimizerSteps());
        }
        world.broadcastFromFirst(stateOf(model));
        RunPosition at = new RunPosition(start, batchesPerEpoch, config.accumulation(),
                lastMicroBatch(config, datasetSize, world.size()), world.rank(), world.size());
        long totalSteps = at.lastStep();
        LearningRateSchedule schedule = LearningRateSchedule.of(config, world.size());
        if (writes) {
            Files.createDirectories(output);
        }
        List<TrainingListener> told = writes ? listeners : List.of();
        Path lastCheckpoint = resumeFrom == null ? null : Checkpoints.resolve(resumeFrom);
        long checkpointedStep = start.step();
        String description = task.describe() + "; " + config.describe(world.size()) + "; "
                + machine.withThreads(machine.threadsFor(bf16)).describe() + "; data " + data.dataset().describe();
        told.forEach(l -> l.onStartingAt(start.step(), start.epochsCompleted(batchesPerEpoch)));
        told.forEach(l -> l.onStart(description, totalSteps));
        TrainingListener broadcast = new Broadcast(told);

        long started = System.nanoTime();
        long epochWorkNanos = 0;
        long imagesSeen = 0;
        long skippedImages = 0;
        double firstEpochLoss = Double.NaN;
        double lastEpochLoss = Double.NaN;
        double stepLoss = 0;
        // set here too, for a run resumed inside an accumulation window (after a change of batch size)
        double lr = schedule.at(at.fractionalEpoch());
        float badLoss = 0;
        boolean poisoned = false;
        int poisonedInARow = 0;
        StepClock clock = new StepClock();
        UpdateSteps steps = new UpdateSteps(optimizer, trainedInOrder(model), world, config.clipGradNorm());
        try {
            while (!at.finished()) {
                int epoch = at.epoch();
                int startBatch = at.batchInEpoch();
                long firstMicroBatch = at.microBatch();
                try (BatchLoader loader = BatchLoader.builder(data.dataset(), data.trainTransform(), size)
                        .batchSize(config.batchSize()).seed(config.seed()).epoch(epoch)
                        .shard(world.rank(), world.size())
                        .resumeAt(startBatch, startBatch == 0 ? 0 : at.imagePosition())
                        .workers(machine.loaderWorkers()).badImages(data.badImages())
                        .maxBadImages(data.maxBadImages()).build()) {
                    while (!at.finished()) {
                        if (at.atEpochEnd() && at.microBatch() > firstMicroBatch) {
                            break; // the epoch's last batch is done: its end (work, checkpoint) comes before a stop
                        }
                        // before waiting for the next batch, which a slow loader may take a while to decode
                        if (at.atWindowStart() && anyRank(stop.requested())) {
                            if (at.step() > checkpointedStep) {
                                lastCheckpoint = checkpoint(optimizer, at, metadata);
                            }
                            throw new RunStoppedException(stop.reason().orElse("another rank was asked to stop"),
                                    at.step(), totalSteps, lastCheckpoint);
                        }
                        long waitStarted = System.nanoTime();
                        // a shard that skipped unreadable images may end sooner than the others: all stop with it
                        if (anyRank(!loader.hasNext())) {
                            break;
                        }
                        Batch batch = loader.next();
                        clock.waitedSince(waitStarted);
                        if (at.atWindowStart()) {
                            // MAE sets the rate at the first micro-batch of an accumulation window
                            lr = schedule.at(at.fractionalEpoch());
                        }
                        if (at.closesWindow()) {
                            steps.arm(config.accumulation() > 1);
                        }
                        float loss = forwardAndBackward(loader, batch, device, bf16, at);
                        at.trained(batch.endPosition());
                        imagesSeen += batch.size();
                        if (!Float.isFinite(loss) && !poisoned) {
                            poisoned = true;
                            badLoss = loss;
                        }
                        stepLoss += loss / config.accumulation();
                        if (!at.atWindowStart()) {
                            continue;
                        }
                        steps.startReduction(); // before any other collective of the step, on every rank
                        WindowLoss window = agreeOnWindow(poisoned, stepLoss, badLoss, steps.gradients());
                        stepLoss = 0;
                        poisoned = false;
                        if (window.poisoned()) {
                            if (config.nonFiniteLoss() == NonFiniteLossPolicy.STOP) {
                                throw new NonFiniteLossException(at.step() + 1, epoch, window.badLoss(),
                                        lastCheckpoint);
                            }
                            // the whole accumulation window is dropped: no update, the step still counts
                            steps.reduce();
                            steps.discard();
                            at.skipped();
                            clock.restart();
                            if (++poisonedInARow > nonFinitePatience) {
                                throw NonFiniteLossException.gaveUp(at.step(), epoch, poisonedInARow, lastCheckpoint);
                            }
                            continue;
                        }
                        poisonedInARow = 0;
                        double reduceSeconds = steps.reduce();
                        double gradientNorm = steps.clip();
                        steps.update(lr);
                        at.stepped(window.loss());
                        StepClock.Lap lap = clock.lap();
                        StepMetrics metrics = new StepMetrics(at.step(), totalSteps, epoch, window.loss(), lr,
                                gradientNorm, (double) config.effectiveBatch() * world.size() / lap.seconds(),
                                lap.waitedSeconds(), reduceSeconds, ResidentMemory.bytes(), at.skippedSteps());
                        told.forEach(l -> l.onStep(metrics));
                        // the checkpoint at an epoch's end comes after the epoch's own work, below
                        if (config.checkpointEverySteps() > 0 && at.step() % config.checkpointEverySteps() == 0
                                && !at.atEpochEnd()) {
                            lastCheckpoint = checkpoint(optimizer, at, metadata);
                            checkpointedStep = at.step();
                        }
                    }
                    skippedImages += loader.skippedImages();
                    // an epoch whose images all failed to read yields nothing, from its very start: it ends too
                    if (!at.atEpochEnd() || (at.microBatch() == firstMicroBatch && !at.finished())) {
                        // Skipped images left too few for the epoch's last batches: the epoch ends here, and a
                        // partial accumulation window with it.
                        at.endEpochEarly();
                        steps.discard();
                        stepLoss = 0;
                        poisoned = false;
                    }
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                if (at.atEpochEnd()) {
                    double mean = at.epochLoss();
                    if (!Double.isNaN(mean)) {
                        if (Double.isNaN(firstEpochLoss)) {
                            firstEpochLoss = mean;
                        }
                        lastEpochLoss = mean;
                        told.forEach(l -> l.onEpochEnd(epoch, mean));
                    }
                    at.resetEpochLoss();
                    long workStarted = System.nanoTime();
                    if (writes) {
                        task.afterEpoch(new EpochEnd(epoch, epoch + 1 == config.epochs(), device, output, broadcast));
                    }
                    world.barrier(rankZeroWorkLimit(), "waiting for rank 0's work at the end of epoch " + (epoch + 1));
                    epochWorkNanos += System.nanoTime() - workStarted;
                    // After the epoch's work: a checkpoint at an epoch's end says that all of it was done, so a
                    // run killed during an evaluation does that evaluation again. Only between accumulation
                    // windows, whose partial gradients a checkpoint does not hold.
                    if (at.atWindowStart()) {
                        lastCheckpoint = checkpoint(optimizer, at, metadata);
                        checkpointedStep = at.step();
                    }
                    clock.restart(); // the next step's rate leaves the epoch's work out
                }
            }
        } catch (WorldException e) {
            throw new WorldException("step " + (at.step() + 1) + " of " + totalSteps + ", epoch " + (at.epoch() + 1)
                    + ": " + e.getMessage(), e);
        } finally {
            steps.close();
        }
        skippedImages = world.sum(skippedImages)[0];
        double seconds = (System.nanoTime() - started) / 1e9;
        // the rate of training alone: evaluations and pictures are part of the wall time, not of the images/s
        double imagesPerSecond = imagesSeen * world.size() / Math.max(1e-9, seconds - epochWorkNanos / 1e9);
        RunSummary summary = new RunSummary(at.step(), seconds, imagesPerSecond, firstEpochLoss, lastEpochLoss,
                at.skippedSteps(), skippedImages, lastCheckpoint, output);
        told.forEach(l -> l.onFinish(summary));
        return summary;
    }

    /** One micro-batch's forward and backward passes; the gradients add up until the window closes. */
    private float forwardAndBackward(BatchLoader loader, Batch batch, Device device, boolean bf16, RunPosition at) {
        try (PointerScope scope = new PointerScope()) {
            Tensor loss;
            Recycler recycler = new Recycler(loader, batch);
            try (Autocast autocast = Autocast.bf16(device, bf16)) {
                loss = task.loss(new StepInput(batch, recycler, device, config.seed(), at.microBatch(),
                        at.randomPosition()));
            } finally {
                recycler.run();
            }
            float value = loss.item_float();
            if (Float.isFinite(value)) {
                loss.div(new Scalar((double) config.accumulation())).backward();
            }
            return value;
        }
    }

    /** Whether {@code flag} holds on any rank (on this one, in a world of one). */
    private boolean anyRank(boolean flag) {
        return world.sum(flag ? 1L : 0L)[0] > 0;
    }

    /** A closed window as every rank sees it: its mean loss over the world, and whether any rank's was not finite. */
    private record WindowLoss(boolean poisoned, double loss, float badLoss) {
    }

    /**
     * What the ranks saw in the window: a non-finite loss on any of them drops it everywhere. They must also have
     * gradients for as many parameters, or their all-reduces would not pair up (a part that uses a parameter on
     * some batches only): each stops with a sentence instead.
     */
    private WindowLoss agreeOnWindow(boolean poisoned, double loss, float badLoss, int gradients) {
        if (world.size() == 1) {
            return new WindowLoss(poisoned, loss, badLoss);
        }
        float[] sums = world.sum(poisoned ? 1f : 0f, poisoned ? 0f : (float) loss, poisoned ? badLoss : 0f);
        if (sums[0] > 0) {
            return new WindowLoss(true, Double.NaN, sums[2]); // dropped: a rank that skipped backward has no gradients
        }
        long[] counts = world.sum(gradients, (long) gradients * gradients);
        // all equal exactly when the square of the sum is the count times the sum of squares
        if (counts[0] * counts[0] != world.size() * counts[1]) {
            throw new Mim4jException("parameters", "rank " + world.rank() + " of " + world.size() + " has gradients"
                    + " for " + gradients + " parameters, the ranks for " + counts[0] + " in all: in a data-parallel"
                    + " run every rank's step must use the same parameters (a part that uses one on some batches only"
                    + " cannot be trained so)");
        }
        return new WindowLoss(sums[0] > 0, (double) sums[1] / world.size(), sums[2]);
    }

    /** The parameters the optimiser trains, in the order the model registers them (the backward pass's, reversed). */
    private static List<Tensor> trainedInOrder(Module model) {
        List<Tensor> trained = new ArrayList<>();
        for (Tensor parameter : model.parameters().get()) {
            if (parameter.requires_grad()) {
                trained.add(parameter);
            }
        }
        return trained;
    }

    /** The parameters and buffers every rank starts from: rank 0's. */
    private static List<Tensor> stateOf(Module model) {
        List<Tensor> state = new ArrayList<>(List.of(model.parameters().get()));
        state.addAll(List.of(model.buffers().get()));
        return state;
    }

    /** How long the other ranks wait while rank 0 alone evaluates, draws or writes. */
    private Duration rankZeroWorkLimit() {
        Duration limit = world.timeout().multipliedBy(30);
        return limit.compareTo(RANK_ZERO_WORK_FLOOR) < 0 ? RANK_ZERO_WORK_FLOOR : limit;
    }

    private static final Duration RANK_ZERO_WORK_FLOOR = Duration.ofMinutes(30);

    /**
     * Rank 0 writes a checkpoint of where the run stands, with every rank's place in its shard; the others wait
     * for it, and all return its path.
     */
    private Path checkpoint(AdamW optimizer, RunPosition at, Map<String, String> metadata) throws IOException {
        long[] imagePositions = new long[world.size()];
        imagePositions[world.rank()] = at.imagePosition();
        imagePositions = world.sum(imagePositions);
        Path path = Checkpoints.path(output, at.step());
        if (world.isFirst()) {
            Map<String, String> withShards = new LinkedHashMap<>(metadata);
            withShards.put(Checkpoints.SHARDS, Checkpoints.shardsEntry(imagePositions));
            path = Checkpoints.write(output, task, withShards, optimizer, config, at.saved(optimizer.steps()),
                    data.normalization(), config.keepCheckpoints());
            Path written = path;
            listeners.forEach(l -> l.onCheckpoint(written)); // rank 0's, as all it tells
        }
        world.barrier(rankZeroWorkLimit(), "waiting for rank 0's checkpoint of step " + at.step());
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
