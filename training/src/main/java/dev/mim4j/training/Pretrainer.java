package dev.mim4j.training;

import dev.mim4j.models.ResidentMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.mim.MaskSample;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.Batch;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.data.FloatImage;
import dev.mim4j.training.data.ImageSize;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The pre-training loop of a recipe: batches from worker threads, one libtorch thread that runs
 * forward, backward and AdamW under a per-iteration warm-up and half-cosine schedule, gradient
 * accumulation and clipping, optional bf16 autocast, checkpoints that resume exactly, a guard
 * against non-finite losses, and reconstruction pictures.
 *
 * <p>Each step runs inside a {@link PointerScope}, so native memory stays flat however long the run.
 * All libtorch calls happen on the thread that calls {@link #run()}.
 */
public final class Pretrainer {

    private final MimRecipe recipe;
    private final TrainConfig config;
    private final TrainingData data;
    private final Path output;
    private final Path resumeFrom;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private EncoderEvaluation evaluation;
    private int evaluateEveryEpochs;
    private MimModel model;

    private Pretrainer(MimRecipe recipe, TrainConfig config, TrainingData data, Path output, Path resumeFrom) {
        Backbone backbone = recipe.backbone();
        if (data.dataset().channels() != backbone.image().channels()) {
            throw new IllegalArgumentException("the dataset has " + data.dataset().channels() + "-channel images but the"
                    + " model takes " + backbone.image().channels() + " channels (" + data.dataset().describe() + ")");
        }
        if (data.dataset().size() < config.batchSize()) {
            throw new IllegalArgumentException("the dataset has " + data.dataset().size() + " images, fewer than one batch of "
                    + config.batchSize());
        }
        this.recipe = recipe;
        this.config = config;
        this.data = data;
        this.output = output;
        this.resumeFrom = resumeFrom;
    }

    /** A new run of {@code recipe} writing checkpoints, metrics and pictures into {@code output}. */
    public static Pretrainer start(MimRecipe recipe, TrainConfig config, TrainingData data, Path output) {
        return new Pretrainer(recipe, config, data, output, null);
    }

    /**
     * Continues the run saved in {@code checkpoint} (a file, or a folder whose newest checkpoint is
     * taken) with its own recipe and config, exactly where it stopped.
     */
    public static Pretrainer resume(Path checkpoint, TrainingData data, Path output) throws IOException {
        CheckpointState state = Checkpoints.readState(checkpoint);
        return new Pretrainer(state.recipe(), state.config(), data, output, checkpoint);
    }

    public Pretrainer listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Measures the encoder with {@code evaluation} after every {@code everyEpochs}-th epoch and after the
     * last one, and reports the value to the listeners ({@link TrainingListener#onEvaluation}).
     *
     * @throws IllegalArgumentException if {@code everyEpochs} is below 1 or {@code evaluation} is null
     */
    public Pretrainer evaluateEvery(int everyEpochs, EncoderEvaluation evaluation) {
        if (everyEpochs < 1 || evaluation == null) {
            throw new IllegalArgumentException("an evaluation during pre-training needs an evaluation and a"
                    + " period of at least 1 epoch, not " + everyEpochs);
        }
        this.evaluation = evaluation;
        this.evaluateEveryEpochs = everyEpochs;
        return this;
    }

    /** The model being trained (available once {@link #run()} has started). */
    public MimModel model() {
        return model;
    }

    /**
     * Runs to the last epoch.
     *
     * @throws NonFiniteLossException when the loss is NaN or infinite and the policy is STOP
     */
    public RunSummary run() throws IOException {
        Natives.threads(config.threads());
        Device device = Devices.resolve(config.device());
        torch.manual_seed(config.seed());
        Checkpoints.checkOutputFolder(output,
                resumeFrom == null ? -1 : Checkpoints.readState(resumeFrom).step());
        model = MimModel.compile(recipe);
        model.to(device, false);
        model.train(true);
        AdamW optimizer = new AdamW(ParameterGroups.of(model, model.parameterRoles(), config.decayTokens()), config.beta1(), config.beta2(),
                config.epsilon(), config.weightDecay());
        long step = 0;
        long microBatch = 0;
        long skippedSteps = 0;
        int epochPosition = 0;
        if (resumeFrom != null) {
            CheckpointState state = Checkpoints.readState(resumeFrom);
            Checkpoints.restore(resumeFrom, model, optimizer);
            step = state.step();
            microBatch = state.nextMicroBatch();
            epochPosition = state.epochPosition();
            skippedSteps = state.skippedSteps();
        }
        Backbone backbone = recipe.backbone();
        ImageSize size = new ImageSize(backbone.image().channels(), backbone.image().height(), backbone.image().width());
        int batchesPerEpoch = BatchLoader.batchesPerEpoch(data.dataset().size(), config.batchSize(), true, 1);
        int accumulation = config.accumulation();
        long totalMicroBatches = (long) config.epochs() * batchesPerEpoch;
        long totalSteps = totalMicroBatches / accumulation;
        long lastMicroBatch = totalSteps * accumulation;
        LearningRateSchedule schedule = LearningRateSchedule.of(config);
        Files.createDirectories(output);
        Path lastCheckpoint = null;
        String description = recipe.describe() + "; " + backbone.describe() + "; " + config.describe() + "; data "
                + data.dataset().describe();
        listeners.forEach(l -> l.onStart(description, totalSteps));

        long started = System.nanoTime();
        long evaluationNanos = 0;
        long imagesSeen = 0;
        long skippedImages = 0;
        double firstEpochLoss = Double.NaN;
        double lastEpochLoss = Double.NaN;
        double stepLoss = 0;
        double lr = 0;
        boolean poisoned = false;
        long stepStarted = System.nanoTime();
        while (microBatch < lastMicroBatch) {
            int epoch = (int) (microBatch / batchesPerEpoch);
            int startBatch = (int) (microBatch % batchesPerEpoch);
            double epochLoss = 0;
            int epochSteps = 0;
            try (BatchLoader loader = BatchLoader.builder(data.dataset(), data.trainTransform(), size)
                    .batchSize(config.batchSize()).seed(config.seed()).epoch(epoch)
                    .resumeAt(startBatch, startBatch == 0 ? 0 : epochPosition)
                    .workers(config.loaderWorkers()).badImages(data.badImages()).build()) {
                while (loader.hasNext() && microBatch < lastMicroBatch) {
                    Batch batch = loader.next();
                    epochPosition = batch.endPosition();
                    if (microBatch % accumulation == 0) {
                        // MAE sets the rate at the first micro-batch of an accumulation window
                        lr = schedule.at(epoch + (double) (microBatch % batchesPerEpoch) / batchesPerEpoch);
                    }
                    float loss;
                    try (PointerScope scope = new PointerScope()) {
                        Tensor images = BatchTensors.images(batch, device);
                        loader.recycle(batch);
                        torch.manual_seed(StepSeeds.derive(config.seed(), StepSeeds.Stream.DROP_PATH, microBatch));
                        SplittableRandom maskRandom =
                                new SplittableRandom(StepSeeds.derive(config.seed(), StepSeeds.Stream.MASKS, microBatch));
                        Tensor lossTensor;
                        try (Autocast autocast = Autocast.bf16(device, config.bf16())) {
                            lossTensor = model.forward(images, maskRandom).loss();
                        }
                        loss = lossTensor.item_float();
                        if (Float.isFinite(loss)) {
                            lossTensor.div(new org.bytedeco.pytorch.Scalar((double) accumulation)).backward();
                        }
                    }
                    microBatch++;
                    imagesSeen += config.batchSize();
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
                        stepStarted = System.nanoTime();
                        continue;
                    }
                    double gradientNorm;
                    try (PointerScope scope = new PointerScope()) {
                        gradientNorm = GradientNorm.clip(optimizer.parameters().values(), config.clipGradNorm());
                        optimizer.step(lr);
                        optimizer.zeroGrad();
                    }
                    step++;
                    long now = System.nanoTime();
                    double seconds = (now - stepStarted) / 1e9;
                    stepStarted = now;
                    StepMetrics metrics = new StepMetrics(step, totalSteps, epoch, stepLoss, lr, gradientNorm,
                            config.effectiveBatch() / seconds, ResidentMemory.bytes(), skippedSteps);
                    listeners.forEach(l -> l.onStep(metrics));
                    epochLoss += stepLoss;
                    epochSteps++;
                    stepLoss = 0;
                    if (config.checkpointEverySteps() > 0 && step % config.checkpointEverySteps() == 0) {
                        lastCheckpoint = checkpoint(optimizer, step, microBatch, epochPosition, skippedSteps);
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
            if (epochSteps > 0) {
                double mean = epochLoss / epochSteps;
                if (Double.isNaN(firstEpochLoss)) {
                    firstEpochLoss = mean;
                }
                lastEpochLoss = mean;
                if (epochDone) {
                    listeners.forEach(l -> l.onEpochEnd(epoch, mean));
                }
            }
            if (epochDone) {
                // only between accumulation windows, whose partial gradients a checkpoint does not hold
                boolean windowClosed = microBatch % accumulation == 0;
                if (windowClosed && (config.checkpointEverySteps() == 0 || step % config.checkpointEverySteps() != 0)) {
                    lastCheckpoint = checkpoint(optimizer, step, microBatch, epochPosition, skippedSteps);
                }
                if (config.picturesEveryEpochs() > 0 && ((epoch + 1) % config.picturesEveryEpochs() == 0
                        || epoch + 1 == config.epochs())) {
                    Path picture = picture(device, epoch);
                    if (picture != null) {
                        listeners.forEach(l -> l.onPicture(picture));
                    }
                }
                if (evaluation != null && ((epoch + 1) % evaluateEveryEpochs == 0 || epoch + 1 == config.epochs())) {
                    long evaluationStarted = System.nanoTime();
                    double value = evaluation.measure(model.encoder());
                    evaluationNanos += System.nanoTime() - evaluationStarted;
                    listeners.forEach(l -> l.onEvaluation(epoch, evaluation.metric(), value));
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // the rate of training alone: evaluations are part of the wall time, not of the images/s
        double imagesPerSecond = imagesSeen / Math.max(1e-9, seconds - evaluationNanos / 1e9);
        RunSummary summary = new RunSummary(step, seconds, imagesPerSecond, firstEpochLoss, lastEpochLoss,
                skippedSteps, skippedImages, lastCheckpoint, output);
        listeners.forEach(l -> l.onFinish(summary));
        return summary;
    }

    private Path checkpoint(AdamW optimizer, long step, long microBatch, int epochPosition, long skippedSteps)
            throws IOException {
        int position = microBatch % BatchLoader.batchesPerEpoch(data.dataset().size(), config.batchSize(), true, 1) == 0
                ? 0 : epochPosition;
        Path path = Checkpoints.write(output, model, optimizer,
                new CheckpointState(recipe, config, step, microBatch, position, skippedSteps), data.normalization(),
                config.keepCheckpoints());
        listeners.forEach(l -> l.onCheckpoint(path));
        return path;
    }

    /**
     * Reconstructions of the dataset's first (readable) images under a fixed mask, after
     * {@code epoch}; null when none of them can be read.
     */
    private Path picture(Device device, int epoch) throws IOException {
        int count = Math.min(8, data.dataset().size());
        Backbone backbone = recipe.backbone();
        int plane = backbone.image().channels() * backbone.image().height() * backbone.image().width();
        float[] pixels = new float[count * plane];
        int drawn = 0;
        for (int i = 0; i < data.dataset().size() && drawn < count; i++) {
            FloatImage image;
            try {
                image = data.dataset().read(i);
            } catch (IOException e) {
                if (data.badImages() == BadImagePolicy.FAIL) {
                    throw e;
                }
                continue; // an unreadable image is skipped here too, as the loader skips it
            }
            image = data.viewTransform().apply(image,
                    new SplittableRandom(StepSeeds.derive(config.seed(), StepSeeds.Stream.PICTURES, i)));
            System.arraycopy(image.pixels(), 0, pixels, drawn * plane, plane);
            drawn++;
        }
        if (drawn == 0) {
            return null;
        }
        if (drawn < count) {
            pixels = java.util.Arrays.copyOf(pixels, drawn * plane);
            count = drawn;
        }
        Path path = output.resolve(String.format("reconstruction-epoch%04d.png", epoch + 1));
        try (PointerScope scope = new PointerScope()) {
            Tensor images = Tensors.floats(pixels, count, backbone.image().channels(), backbone.image().height(),
                    backbone.image().width()).to(device, ScalarType.Float);
            MaskSample sample = MaskSample.draw(recipe.masking(), backbone.grid(), count,
                    new SplittableRandom(StepSeeds.derive(config.seed(), StepSeeds.Stream.PICTURES, -1)));
            Reconstructions reconstructions = Reconstructions.of(model, images, sample);
            int scale = Math.max(1, 96 / backbone.image().height());
            ReconstructionPicture.write(reconstructions, data.normalization().mean(), data.normalization().std(), scale,
                    path);
        }
        return path;
    }
}
