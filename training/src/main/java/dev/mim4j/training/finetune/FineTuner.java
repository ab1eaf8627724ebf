package dev.mim4j.training.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.Natives;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.transfer.EncoderTransfer;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.MachineSettings;
import dev.mim4j.training.StopRequest;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.TrainingListener;
import dev.mim4j.training.TrainingLoop;
import dev.mim4j.training.TrainingPosition;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.distributed.World;
import org.bytedeco.pytorch.global.torch;

/**
 * Fine-tunes an encoder for classification through the {@link TrainingLoop}, from pre-trained weights
 * or from scratch: layer-wise learning-rate decay, drop path, label smoothing, mixup and CutMix,
 * AdamW under a warm-up and half-cosine schedule, top-1 accuracy on the test set after every epoch,
 * and checkpoints that resume exactly (every random choice derives from the seed and the position,
 * as in pre-training).
 */
public final class FineTuner {

    private final Backbone spec;
    private final Encoder encoder;
    private final int classes;
    private final FineTuneConfig config;
    private final TrainingData train;
    private final ImageDataset testData;
    private final Path output;
    private final Path pretrained;
    private final Path resumeFrom;
    private final TrainingPosition resumeAt;
    private World world = World.single();
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int nonFinitePatience = TrainingLoop.DEFAULT_NON_FINITE_PATIENCE;
    private StopRequest stop = new StopRequest();
    private MachineSettings machine = MachineSettings.defaults();

    private FineTuner(Backbone spec, Encoder encoder, int classes, FineTuneConfig config, TrainingData train,
            ImageDataset testData, Path output, Path pretrained, Path resumeFrom, TrainingPosition resumeAt) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(testData, "testData");
        Objects.requireNonNull(output, "output");
        if (classes < 2) {
            throw new Mim4jException("classes", "classes " + classes + " must be at least 2");
        }
        for (ImageDataset d : List.of(train.dataset(), testData)) {
            if (d.channels() != spec.image().channels()) {
                throw new Mim4jException("data", "the dataset has " + d.channels() + "-channel images but the model"
                        + " takes " + spec.image().channels() + " (" + d.describe() + ")");
            }
            if (d.size() > 0 && d.label(0) < 0) {
                throw new Mim4jException("data", "fine-tuning needs labelled images; " + d.describe() + " has none");
            }
        }
        // An encoder built by hand comes with its own drop path, and a resumed run with the spec it recorded.
        this.spec = encoder != null || resumeFrom != null ? spec : spec.withDropPathRate(config.dropPath());
        this.encoder = encoder;
        this.classes = classes;
        this.config = config;
        this.train = train;
        this.testData = testData;
        this.output = output;
        this.pretrained = pretrained;
        this.resumeFrom = resumeFrom;
        this.resumeAt = resumeAt;
        TrainingLoop.checkData(spec.image(), config.loop(), train);
    }

    /**
     * A new run; {@code pretrainedCheckpoint} is a pre-training checkpoint (file or run folder) whose
     * encoder starts the classifier, or null to train from scratch. The test images are seen through
     * {@code train.viewTransform()}.
     */
    public static FineTuner start(Backbone spec, Path pretrainedCheckpoint, int classes, FineTuneConfig config,
            TrainingData train, ImageDataset testData, Path output) {
        return new FineTuner(spec, null, classes, config, train, testData, output, pretrainedCheckpoint, null, null);
    }

    /**
     * A new run of an encoder built beforehand (any {@link Encoder}, with the weights it has and its own
     * drop path: the config's is not applied); its spec must be known to spec JSON, since checkpoints
     * record it.
     */
    public static FineTuner start(Encoder encoder, int classes, FineTuneConfig config, TrainingData train,
            ImageDataset testData, Path output) {
        Objects.requireNonNull(encoder, "encoder");
        return new FineTuner(encoder.spec(), encoder, classes, config, train, testData, output, null, null, null);
    }

    /**
     * Continues a fine-tuning run from its checkpoint (file, or folder: the newest that reads back whole), with its own
     * settings; checkpoints of schema 1 (which held the position as epochs done) resume at the next epoch.
     */
    public static FineTuner resume(Path checkpoint, TrainingData train, ImageDataset testData, Path output)
            throws IOException {
        return resume(checkpoint, null, train, testData, output);
    }

    /**
     * Continues the fine-tuning of an encoder built beforehand, built as the one that wrote
     * {@code checkpoint}; its weights come from the checkpoint.
     */
    public static FineTuner resume(Path checkpoint, Encoder encoder, TrainingData train, ImageDataset testData,
            Path output) throws IOException {
        Path file = Checkpoints.resumable(checkpoint);
        FineTuneState state = FineTuneState.read(file);
        if (encoder != null && !encoder.spec().equals(state.spec())) {
            throw new Mim4jException("encoder", "the encoder (" + encoder.spec().describe() + ") is not the one "
                    + file + " was written by (" + state.spec().describe() + ")");
        }
        return new FineTuner(state.spec(), encoder, state.classes(), state.config(), train, testData, output, null,
                file, state.position());
    }

    /** Where the run runs: device, threads, loader workers ({@link MachineSettings#defaults()} unless set). */
    public FineTuner machine(MachineSettings machine) {
        Objects.requireNonNull(machine, "machine");
        this.machine = machine;
        return this;
    }

    /** See {@link TrainingLoop#nonFinitePatience(int)}. */
    public FineTuner nonFinitePatience(int steps) {
        this.nonFinitePatience = TrainingLoop.checkNonFinitePatience(steps);
        return this;
    }

    /**
     * Lets {@code request} stop the run gracefully: the step under way is finished and saved, and the run
     * throws a {@link dev.mim4j.training.RunStoppedException} naming the checkpoint ({@link StopRequest}).
     */
    public FineTuner stopRequest(StopRequest request) {
        this.stop = Objects.requireNonNull(request, "request");
        return this;
    }

    /**
     * See {@link TrainingLoop#world(World)}: one process of a data-parallel run (a world of one unless set). A
     * resumed fine-tuning goes on in as many processes as wrote its checkpoint. Rank 0 alone measures the test
     * accuracy; {@link #run()} returns NaN on the others.
     */
    public FineTuner world(World world) {
        this.world = Objects.requireNonNull(world, "world");
        return this;
    }

    public FineTuner listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Runs to the last epoch and returns the last test top-1 accuracy (NaN when no epoch was left to run). */
    public double run() throws IOException {
        Natives.threads(machine.threadsFor(false));
        torch.manual_seed(config.seed());
        Classifier model = new Classifier(encoder != null ? encoder : VisionTransformer.compile(spec), classes,
                config.pooling());
        if (pretrained != null) {
            loadEncoder(model);
        }
        String origin = pretrained != null ? "from " + pretrained : resumeFrom != null ? "resumed" : "from scratch";
        FineTuningTask task = new FineTuningTask(model, spec, config, origin, testData, train.viewTransform(),
                machine);
        TrainingPosition at = resumeFrom == null || resumeAt.nextMicroBatch() < 0 ? resumeAt
                : Checkpoints.readPosition(resumeFrom, world.rank(), world.size());
        TrainingLoop loop = new TrainingLoop(task, config.loop(), machine, train, output, resumeFrom, at);
        listeners.forEach(loop::listener);
        loop.nonFinitePatience(nonFinitePatience);
        loop.stopRequest(stop);
        loop.world(world);
        loop.run();
        return task.lastAccuracy();
    }

    /**
     * The pre-trained encoder's weights, whatever the layout its checkpoint was saved in; at another
     * image size or window, position and bias tables are resampled as the official fine-tuning does.
     */
    private void loadEncoder(Classifier model) throws IOException {
        MimModel source = Checkpoints.loadModel(pretrained);
        try {
            EncoderTransfer.copy(source.encoder(), model.encoder());
        } finally {
            source.close();
        }
    }
}
