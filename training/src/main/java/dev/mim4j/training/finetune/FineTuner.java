package dev.mim4j.training.finetune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.vit.VisionTransformer;
import dev.mim4j.models.weights.IncompatibleWeightsException;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.models.weights.StateDict;
import dev.mim4j.models.weights.WeightLoader;
import dev.mim4j.training.AdamW;
import dev.mim4j.training.BatchTensors;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.LearningRateSchedule;
import dev.mim4j.training.ParameterGroups;
import dev.mim4j.models.ResidentMemory;
import dev.mim4j.training.StepMetrics;
import dev.mim4j.training.StepSeeds;
import dev.mim4j.training.TrainingListener;
import dev.mim4j.training.data.Batch;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.ImageSize;
import dev.mim4j.training.data.ImageTransform;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Fine-tunes a ViT for classification, from pre-trained weights or from scratch: layer-wise
 * learning-rate decay, drop path, label smoothing, mixup and CutMix, AdamW under a warm-up and
 * half-cosine schedule, top-1 accuracy on the test set after every epoch, and checkpoints that
 * resume exactly (every random choice derives from the seed and the position, as in pre-training).
 */
public final class FineTuner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Device CPU = new Device("cpu");

    private final Backbone spec;
    private final int classes;
    private final FineTuneConfig config;
    private final ImageDataset trainData;
    private final ImageTransform trainTransform;
    private final ImageDataset testData;
    private final ImageTransform testTransform;
    private final Path output;
    private final Path pretrained;
    private final Path resumeFrom;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private FineTuner(Backbone spec, int classes, FineTuneConfig config, ImageDataset trainData,
            ImageTransform trainTransform, ImageDataset testData, ImageTransform testTransform, Path output,
            Path pretrained, Path resumeFrom) {
        for (ImageDataset d : List.of(trainData, testData)) {
            if (d.channels() != spec.image().channels()) {
                throw new IllegalArgumentException("the dataset has " + d.channels() + "-channel images but the model"
                        + " takes " + spec.image().channels() + " (" + d.describe() + ")");
            }
            if (d.size() > 0 && d.label(0) < 0) {
                throw new IllegalArgumentException("fine-tuning needs labelled images; " + d.describe() + " has none");
            }
        }
        this.spec = spec.withDropPathRate(config.dropPath());
        this.classes = classes;
        this.config = config;
        this.trainData = trainData;
        this.trainTransform = trainTransform;
        this.testData = testData;
        this.testTransform = testTransform;
        this.output = output;
        this.pretrained = pretrained;
        this.resumeFrom = resumeFrom;
    }

    /**
     * A new run; {@code pretrainedCheckpoint} is a pre-training checkpoint (file or run folder) whose
     * encoder starts the classifier, or null to train from scratch.
     */
    public static FineTuner start(Backbone spec, Path pretrainedCheckpoint, int classes, FineTuneConfig config,
            ImageDataset trainData, ImageTransform trainTransform, ImageDataset testData,
            ImageTransform testTransform, Path output) {
        return new FineTuner(spec, classes, config, trainData, trainTransform, testData, testTransform, output,
                pretrainedCheckpoint, null);
    }

    /** Continues a fine-tuning run from its checkpoint (file, or folder: the newest), with its own settings. */
    public static FineTuner resume(Path checkpoint, ImageDataset trainData, ImageTransform trainTransform,
            ImageDataset testData, ImageTransform testTransform, Path output) throws IOException {
        Path file = Files.isDirectory(checkpoint) ? Checkpoints.latest(checkpoint).orElseThrow(() ->
                new IOException(checkpoint + ": holds no checkpoint-NNNNNNNN.safetensors to resume from")) : checkpoint;
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> metadata = st.metadata();
            if (!metadata.containsKey("mim4j.finetune.position")) {
                throw new IOException(file + ": not a mim4j fine-tuning checkpoint");
            }
            JsonNode position = JSON.readTree(metadata.get("mim4j.finetune.position"));
            return new FineTuner(SpecJson.fromJson(metadata.get("mim4j.finetune.spec"), Backbone.class),
                    position.get("classes").asInt(),
                    SpecJson.fromJson(metadata.get("mim4j.finetune.config"), FineTuneConfig.class), trainData,
                    trainTransform, testData, testTransform, output, null, file);
        }
    }

    public FineTuner listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Runs to the last epoch and returns the last test top-1 accuracy. */
    public double run() throws IOException {
        Natives.threads(config.threads());
        torch.manual_seed(config.seed());
        Classifier model = new Classifier(VisionTransformer.compile(spec), classes, config.pooling());
        if (pretrained != null) {
            try (SafetensorsWeights weights = SafetensorsWeights.open(resolve(pretrained))) {
                // The pre-training checkpoint stores the encoder under MAE's flat names or SimMIM's encoder.*.
                String prefix = weights.names().stream().anyMatch(n -> n.startsWith("model.encoder.")) ? "model.encoder."
                        : "model.";
                LoadReport report = WeightLoader.lenient().fromPrefix(prefix).load(model.encoder().module(), weights);
                if (!report.missing().isEmpty() || !report.mismatched().isEmpty()) {
                    throw new IncompatibleWeightsException(report);
                }
            }
        }
        model.train(true);
        AdamW optimizer = new AdamW(ParameterGroups.of(model, model.parameterRoles(), false), 0.9, 0.999, 1e-8,
                config.weightDecay());
        LayerDecay.scales(optimizer.parameters().keySet(), model.parameterRoles(), config.layerDecay())
                .forEach(optimizer::scaleLearningRate);
        long step = 0;
        int firstEpoch = 0;
        if (resumeFrom != null) {
            try (SafetensorsWeights weights = SafetensorsWeights.open(resumeFrom);
                    SafetensorsFile st = SafetensorsFile.open(resumeFrom); PointerScope scope = new PointerScope()) {
                WeightLoader.strict().fromPrefix("model.").load(model, weights);
                Map<String, Tensor> state = new LinkedHashMap<>();
                for (String name : weights.names()) {
                    if (name.startsWith("optimizer.")) {
                        state.put(name.substring("optimizer.".length()), weights.read(name));
                    }
                }
                JsonNode saved = JSON.readTree(st.metadata().get("mim4j.finetune.position"));
                step = saved.get("step").asLong();
                firstEpoch = saved.get("epochs").asInt();
                optimizer.restore(state, step);
            }
        }
        ImageSize size = new ImageSize(spec.image().channels(), spec.image().height(), spec.image().width());
        int perEpoch = BatchLoader.batchesPerEpoch(trainData.size(), config.batchSize(), true, 1);
        long total = (long) perEpoch * config.epochs();
        LearningRateSchedule schedule = new LearningRateSchedule(config.peakLearningRate(),
                Math.min(config.minLearningRate(), config.peakLearningRate()), config.warmupEpochs(), config.epochs());
        Files.createDirectories(output);
        Checkpoints.checkOutputFolder(output, resumeFrom == null ? -1 : step);
        listeners.forEach(l -> l.onStart("fine-tune " + spec.describe() + ", " + classes + " classes, "
                + (pretrained != null ? "from " + pretrained : resumeFrom != null ? "resumed" : "from scratch"), total));
        double accuracy = Double.NaN;
        long started = System.nanoTime();
        // Checkpoints are written at the end of epochs, so a run always resumes at an epoch's start; an
        // epoch shortened by skipped images simply ends early.
        for (int next = firstEpoch; next < config.epochs(); next++) {
            int epoch = next;
            double epochLoss = 0;
            int epochSteps = 0;
            try (BatchLoader loader = BatchLoader.builder(trainData, trainTransform, size).batchSize(config.batchSize())
                    .seed(config.seed()).epoch(epoch).workers(config.loaderWorkers()).build()) {
                while (loader.hasNext()) {
                    Batch batch = loader.next();
                    double lr = schedule.at(epoch + (double) batch.index() / perEpoch);
                    float loss;
                    try (PointerScope scope = new PointerScope()) {
                        SplittableRandom random = new SplittableRandom(
                                StepSeeds.derive(config.seed(), StepSeeds.Stream.MASKS, step));
                        float[] pixels = Arrays.copyOf(batch.pixels(), batch.size() * size.channels()
                                * size.height() * size.width());
                        float[] targets = config.mixup().apply(pixels, batch.labels(), batch.size(), size.channels(),
                                size.height(), size.width(), classes, random);
                        loader.recycle(batch);
                        torch.manual_seed(StepSeeds.derive(config.seed(), StepSeeds.Stream.DROP_PATH, step));
                        Tensor logits = model.forward(Tensors.floats(pixels, batch.size(), size.channels(),
                                size.height(), size.width()));
                        Tensor target = Tensors.floats(targets, batch.size(), classes);
                        Tensor value = target.mul(logits.log_softmax(1)).sum(new long[] {1}, false,
                                new ScalarTypeOptional()).mean().neg();
                        optimizer.zeroGrad();
                        value.backward();
                        optimizer.step(lr);
                        loss = value.item_float();
                    }
                    step++;
                    epochLoss += loss;
                    epochSteps++;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    StepMetrics metrics = new StepMetrics(step, total, epoch, loss, lr, Double.NaN,
                            config.batchSize() * epochSteps / Math.max(seconds, 1e-9), ResidentMemory.bytes(), 0);
                    listeners.forEach(l -> l.onStep(metrics));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            started = System.nanoTime();
            double mean = epochLoss / Math.max(1, epochSteps);
            listeners.forEach(l -> l.onEpochEnd(epoch, mean));
            accuracy = evaluate(model, size);
            double top1 = accuracy;
            listeners.forEach(l -> l.onEvaluation(epoch, "test_top1", top1));
            Path checkpoint = checkpoint(model, optimizer, step, epoch + 1);
            listeners.forEach(l -> l.onCheckpoint(checkpoint));
        }
        return accuracy;
    }

    /** Top-1 accuracy on the test set, every image once, in evaluation mode. */
    private double evaluate(Classifier model, ImageSize size) {
        model.train(false);
        long correct = 0;
        long seen = 0;
        try (BatchLoader loader = BatchLoader.builder(testData, testTransform, size).batchSize(config.batchSize())
                .dropLast(false).seed(config.seed()).workers(config.loaderWorkers()).build();
                NoGradGuard guard = new NoGradGuard()) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                try (PointerScope scope = new PointerScope()) {
                    Tensor logits = model.forward(BatchTensors.images(batch, CPU));
                    long[] predicted = new long[batch.size()];
                    logits.argmax(new LongOptional(1), false).contiguous().data_ptr_long().get(predicted);
                    for (int i = 0; i < batch.size(); i++) {
                        correct += predicted[i] == batch.labels()[i] ? 1 : 0;
                    }
                    seen += batch.size();
                }
                loader.recycle(batch);
            }
        } finally {
            model.train(true);
        }
        return (double) correct / seen;
    }

    private Path checkpoint(Classifier model, AdamW optimizer, long step, int epochsDone) throws IOException {
        Path target = Checkpoints.path(output, step);
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            StateDict.of(model).forEach((name, t) -> tensors.put("model." + name, t));
            optimizer.state().forEach((name, t) -> tensors.put("optimizer." + name, t));
            ObjectNode position = JSON.createObjectNode();
            position.put("step", step);
            position.put("epochs", epochsDone);
            position.put("classes", classes);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("mim4j.finetune.spec", SpecJson.toJson(spec));
            metadata.put("mim4j.finetune.config", SpecJson.toJson(config));
            metadata.put("mim4j.finetune.position", position.toString());
            SafetensorsExport.write(tensors, target, metadata);
        }
        List<Path> old = new ArrayList<>();
        try (var files = Files.list(output)) {
            files.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{8}\\.safetensors")).sorted()
                    .forEach(old::add);
        }
        for (int i = 0; i < old.size() - config.keepCheckpoints(); i++) {
            Files.deleteIfExists(old.get(i));
        }
        return target;
    }

    private static Path resolve(Path fileOrDirectory) throws IOException {
        if (Files.isDirectory(fileOrDirectory)) {
            return Checkpoints.latest(fileOrDirectory).orElseThrow(() ->
                    new IOException(fileOrDirectory + ": holds no checkpoint-NNNNNNNN.safetensors"));
        }
        return fileOrDirectory;
    }
}
