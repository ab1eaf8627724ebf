package dev.mim4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Natives;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.distributed.World;
import org.bytedeco.pytorch.global.torch;

/**
 * Pre-trains a masked-image model through the {@link TrainingLoop}: a recipe compiled when the run
 * starts (from the run's seed), or a model built beforehand (assembled from parts, say).
 */
public final class Pretrainer {

    private static final System.Logger LOG = System.getLogger(Pretrainer.class.getName());

    private final MimRecipe recipe;
    private TrainConfig config;
    private final TrainingData data;
    private final Path output;
    private final Path resumeFrom;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private MachineSettings machine = MachineSettings.defaults();
    private EncoderEvaluation evaluation;
    private int evaluateEveryEpochs;
    private MimModel model;
    private StepMasks masks;
    private int nonFinitePatience = TrainingLoop.DEFAULT_NON_FINITE_PATIENCE;
    private String presetName;
    private StopRequest stop = new StopRequest();
    private final Map<String, String> ownMetadata = new LinkedHashMap<>();
    private World world = World.single();

    private Pretrainer(MimRecipe recipe, MimModel model, TrainConfig config, TrainingData data, Path output,
            Path resumeFrom) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(output, "output");
        TrainingLoop.checkData(model != null ? model.backbone().image() : recipe.backbone().image(), config, data);
        this.recipe = recipe;
        this.model = model;
        this.config = config;
        this.data = data;
        this.output = output;
        this.resumeFrom = resumeFrom;
    }

    /** A new run of {@code recipe} writing checkpoints, metrics and pictures into {@code output}. */
    public static Pretrainer start(MimRecipe recipe, TrainConfig config, TrainingData data, Path output) {
        Objects.requireNonNull(recipe, "recipe");
        return new Pretrainer(recipe, null, config, data, output, null);
    }

    /** A new run of a model built beforehand, e.g. with {@link MimModel#assemble}. */
    public static Pretrainer start(MimModel model, TrainConfig config, TrainingData data, Path output) {
        Objects.requireNonNull(model, "model");
        return new Pretrainer(null, model, config, data, output, null);
    }

    /**
     * Continues the run saved in {@code checkpoint} (a file, or a folder whose newest checkpoint that reads
     * back whole is taken: {@link Checkpoints#resumable}) with its own recipe and config, exactly where it
     * stopped.
     */
    public static Pretrainer resume(Path checkpoint, TrainingData data, Path output) throws IOException {
        Path file = Checkpoints.resumable(checkpoint);
        CheckpointState state = Checkpoints.readState(file);
        Pretrainer resumed = new Pretrainer(state.recipe(), null, state.config(), data, output, file);
        resumed.presetName = Checkpoints.readPresetName(file).orElse(null);
        return resumed;
    }

    /**
     * Continues the run of a model built beforehand (one without a recipe) from {@code checkpoint} (as
     * {@link #resume(Path, TrainingData, Path)} takes it), with the checkpoint's config; the model must be
     * built as the one that wrote it.
     */
    public static Pretrainer resume(Path checkpoint, MimModel model, TrainingData data, Path output)
            throws IOException {
        if (model == null) {
            throw new Mim4jException("model", "resuming a model built beforehand needs that model; a checkpoint"
                    + " with a recipe resumes with Pretrainer.resume(checkpoint, data, output)");
        }
        Path file = Checkpoints.resumable(checkpoint);
        TrainConfig config = Checkpoints.readConfig(file);
        Pretrainer resumed = new Pretrainer(null, model, config, data, output, file);
        resumed.presetName = Checkpoints.readPresetName(file).orElse(null);
        return resumed;
    }

    /** Where the run runs: device, threads, loader workers ({@link MachineSettings#defaults()} unless set). */
    public Pretrainer machine(MachineSettings machine) {
        Objects.requireNonNull(machine, "machine");
        this.machine = machine;
        return this;
    }

    /** See {@link TrainingLoop#world(World)}: one process of a data-parallel run (a world of one unless set). */
    public Pretrainer world(World world) {
        this.world = Objects.requireNonNull(world, "world");
        return this;
    }

    /**
     * Gives each step's masks instead of drawing them with the model's policy: what explicit masking
     * needs, or a replay of another run's masks.
     */
    public Pretrainer masks(StepMasks masks) {
        Objects.requireNonNull(masks, "masks");
        this.masks = masks;
        return this;
    }

    /**
     * Runs with {@code changed} instead of the config the run started with: on a resumed run, more epochs
     * (the warm-up and half-cosine schedule of the new length, from the step reached) or other
     * hyperparameters. A new batch size goes on from the image the checkpoint had reached in its epoch.
     *
     * @throws IllegalArgumentException if {@code changed} is null or its batch is larger than the data
     */
    public Pretrainer config(TrainConfig changed) {
        Objects.requireNonNull(changed, "changed");
        TrainingLoop.checkData(model != null ? model.backbone().image() : recipe.backbone().image(), changed, data);
        this.config = changed;
        return this;
    }

    /** The config the run will run with. */
    public TrainConfig config() {
        return config;
    }

    /**
     * Records in the run's checkpoints that it trains with the preset called {@code name}
     * ({@code dev.mim4j.training.preset.Preset}), so that a resume can take the preset's augmentation again. A
     * resumed run records its checkpoint's preset unless this names another.
     *
     * @throws IllegalArgumentException if {@code name} cannot name a preset ({@link Checkpoints#checkPresetName})
     */
    public Pretrainer presetName(String name) {
        Objects.requireNonNull(name, "name");
        this.presetName = Checkpoints.checkPresetName(name);
        return this;
    }

    /** See {@link TrainingLoop#nonFinitePatience(int)}. */
    public Pretrainer nonFinitePatience(int steps) {
        this.nonFinitePatience = TrainingLoop.checkNonFinitePatience(steps);
        return this;
    }

    /**
     * Records {@code key} = {@code value} in every checkpoint of the run, beside the loop's own entries: what a
     * program needs to carry on a run it wrote (where its data is, say), read back with
     * {@link Checkpoints#metadata}. A resumed run records only what is given again.
     *
     * @throws IllegalArgumentException if {@code key} is empty, is safetensors' {@code format} or starts with
     *     {@code mim4j.}, which are the loop's own
     */
    public Pretrainer checkpointMetadata(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isEmpty() || key.equals("format") || key.startsWith("mim4j.")) {
            throw new Mim4jException("metadata key", "metadata key '" + key + "' is not one a program may set: 'format'"
                    + " and the keys starting with 'mim4j.' are the training loop's own; choose another, such as"
                    + " 'myapp.data'");
        }
        ownMetadata.put(key, value);
        return this;
    }

    /**
     * Lets {@code request} stop the run gracefully: the step under way is finished and saved, and
     * {@link #run()} throws a {@link RunStoppedException} naming the checkpoint ({@link StopRequest}).
     */
    public Pretrainer stopRequest(StopRequest request) {
        this.stop = Objects.requireNonNull(request, "request");
        return this;
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
            throw new Mim4jException("evaluation", "an evaluation during pre-training needs an evaluation and a"
                    + " period of at least 1 epoch, not " + everyEpochs);
        }
        this.evaluation = evaluation;
        this.evaluateEveryEpochs = everyEpochs;
        return this;
    }

    /** The model being trained (available once {@link #run()} has started, or from the start if given). */
    public MimModel model() {
        return model;
    }

    /**
     * Runs to the last epoch.
     *
     * @throws NonFiniteLossException when the loss is NaN or infinite and the policy is STOP
     */
    public RunSummary run() throws IOException {
        Natives.threads(machine.threadsFor(config.bf16()));
        if (model == null) {
            // the weights are drawn from the run's seed, so a run is the same in every JVM
            torch.manual_seed(config.seed());
            model = MimModel.compile(recipe);
        }
        TrainingLoop loop = new TrainingLoop(new PretrainingTask(model, config, data, evaluation, evaluateEveryEpochs, masks),
                config, machine, data, output, resumeFrom, resumeFrom == null ? null : resumePosition(true));
        listeners.forEach(loop::listener);
        loop.nonFinitePatience(nonFinitePatience);
        loop.presetName(presetName);
        loop.stopRequest(stop);
        loop.checkpointMetadata(ownMetadata);
        loop.world(world);
        return loop.run();
    }

    /**
     * Whether the resumed run has nothing left to train: its checkpoint is at the end of the run this
     * config describes (a larger number of epochs extends it).
     */
    public boolean finished() throws IOException {
        if (resumeFrom == null) {
            return false;
        }
        int size = data.dataset().size();
        int batches = BatchLoader.batchesPerEpoch(size, config.batchSize(), true, world.size());
        return resumePosition(false).nextMicroBatch(batches) >= TrainingLoop.lastMicroBatch(config, size, world.size());
    }

    /**
     * The checkpoint's position, carried over to this run: this rank's place in its shard when the run goes on as
     * it was; when its batch size or accumulation, the number of images or the number of processes changed, the
     * same epoch from the first accumulation window at or before the images that every shard had read (other
     * data starts the epoch in progress again). With {@code tell}, a change of processes is logged with what it
     * does to the data's order.
     */
    private TrainingPosition resumePosition(boolean tell) throws IOException {
        TrainingPosition saved = Checkpoints.readPosition(resumeFrom);
        TrainConfig savedConfig = Checkpoints.readConfig(resumeFrom);
        int size = data.dataset().size();
        int savedSize = Checkpoints.readDataSize(resumeFrom).orElse(size);
        long[] shards = Checkpoints.readShardPositions(resumeFrom);
        int savedWorld = shards.length;
        if (savedConfig.batchSize() == config.batchSize() && savedConfig.accumulation() == config.accumulation()
                && savedSize == size && savedWorld == world.size()) {
            return saved.withImagePosition((int) shards[world.rank()]);
        }
        int savedBatches = BatchLoader.batchesPerEpoch(savedSize, savedConfig.batchSize(), true, savedWorld);
        int batches = BatchLoader.batchesPerEpoch(size, config.batchSize(), true, world.size());
        int epoch = (int) (saved.nextMicroBatch(savedBatches) / savedBatches);
        long epochStart = (long) epoch * batches;
        boolean sameData = savedSize == size;
        // an epoch has one order and the shards take turns in it: the images every shard had read are its start
        long imagesRead = sameData ? Arrays.stream(shards).min().orElse(0) * savedWorld : 0;
        // at most the epoch's last batch, so that the epoch ends (and reports) in this run
        long inEpoch = Math.min(batches - 1, imagesRead / world.size() / config.batchSize());
        inEpoch = Math.max(0, inEpoch - (epochStart + inEpoch) % config.accumulation());
        if (savedWorld != world.size() && world.isFirst() && tell) {
            LOG.log(System.Logger.Level.INFO, "resumed in {0} after a run in {1}: epoch {2} goes on from image {3} of its"
                    + " order, up to which all {1} had read; from there on each epoch''s order is dealt out to {0} in"
                    + " turn, {4} images a step", processes(world.size()), processes(savedWorld), epoch + 1,
                    inEpoch * config.batchSize() * world.size(), config.globalBatch(world.size()));
        }
        return new TrainingPosition(saved.step(), epochStart + inEpoch, (int) inEpoch * config.batchSize(),
                saved.skippedSteps(), saved.optimizerSteps(), sameData ? saved.epochLossSum() : 0,
                sameData ? saved.epochSteps() : 0);
    }

    private static String processes(int count) {
        return count == 1 ? "1 process" : count + " processes";
    }
}
