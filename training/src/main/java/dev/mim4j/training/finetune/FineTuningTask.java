package dev.mim4j.training.finetune;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.checkpoint.CheckpointFormat;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.weights.StateDict;
import dev.mim4j.models.weights.WeightLoader;
import dev.mim4j.models.weights.WeightSource;
import dev.mim4j.training.BatchTensors;
import dev.mim4j.training.EpochEnd;
import dev.mim4j.training.MachineSettings;
import dev.mim4j.training.StepInput;
import dev.mim4j.training.StepSeeds;
import dev.mim4j.training.TrainingTask;
import dev.mim4j.training.data.Batch;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.data.ImageDataset;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Fine-tuning a classifier as a {@link dev.mim4j.training.TrainingTask}: mixup and CutMix on the
 * batch's pixels, soft-target cross-entropy (label smoothing), layer-wise learning-rate decay from the
 * encoder's layer ids, and the top-1 accuracy on a test set after every epoch.
 */
final class FineTuningTask implements TrainingTask {

    static final String SPEC = CheckpointFormat.FINE_TUNING_SPEC;
    static final String CONFIG = "mim4j.finetune.config";
    static final String CLASSES = "mim4j.finetune.classes";

    private final Classifier model;
    private final Backbone spec;
    private final FineTuneConfig config;
    private final int classes;
    private final String origin;
    private final ImageDataset testData;
    private final ImageTransform testView;
    private final MachineSettings machine;
    private double lastAccuracy = Double.NaN;

    FineTuningTask(Classifier model, Backbone spec, FineTuneConfig config, String origin, ImageDataset testData,
            ImageTransform testView, MachineSettings machine) {
        this.model = model;
        this.spec = spec;
        this.config = config;
        this.classes = model.classes();
        this.origin = origin;
        this.testData = testData;
        this.testView = testView;
        this.machine = machine;
    }

    /** The test accuracy after the last epoch run, NaN before. */
    double lastAccuracy() {
        return lastAccuracy;
    }

    @Override
    public String describe() {
        return "fine-tune " + spec.describe() + ", " + classes + " classes, " + origin;
    }

    @Override
    public Module module() {
        return model;
    }

    @Override
    public ParameterRoles parameterRoles() {
        return model.parameterRoles();
    }

    @Override
    public Map<String, Double> learningRateScales() {
        Map<String, Tensor> trainable = new LinkedHashMap<>();
        StateDict.parameters(model).forEach((name, parameter) -> {
            if (parameter.requires_grad()) {
                trainable.put(name, parameter);
            }
        });
        return LayerDecay.scales(trainable.keySet(), model.parameterRoles(), config.layerDecay());
    }

    @Override
    public ImageSpec input() {
        return spec.image();
    }

    @Override
    public Tensor loss(StepInput input) {
        ImageSize size = input.imageSize();
        float[] pixels = input.pixels();
        float[] targets = config.mixup().apply(pixels, input.labels(), input.size(), size.channels(), size.height(),
                size.width(), classes, input.random(StepSeeds.Stream.MASKS));
        input.seedDropPath();
        Device device = input.device();
        Tensor logits = model.forward(onDevice(Tensors.floats(pixels, input.size(), size.channels(), size.height(),
                size.width()), device));
        Tensor target = onDevice(Tensors.floats(targets, input.size(), classes), device);
        return target.mul(logits.log_softmax(1)).sum(new long[] {1}, false, new ScalarTypeOptional()).mean().neg();
    }

    @Override
    public void afterEpoch(EpochEnd end) {
        lastAccuracy = evaluate(end.device());
        end.listeners().onEvaluation(end.epoch(), "test_top1", lastAccuracy);
    }

    @Override
    public Map<String, Tensor> state() {
        return StateDict.of(model);
    }

    @Override
    public void restore(WeightSource checkpoint) throws IOException {
        WeightLoader.strict().fromPrefix("model.").load(model, checkpoint);
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of(SPEC, SpecJson.toJson(spec), CONFIG, SpecJson.toJson(config), CLASSES,
                Integer.toString(classes));
    }

    /** Top-1 accuracy on the test set, every image once, in evaluation mode. */
    private double evaluate(Device device) {
        model.train(false);
        ImageSpec image = spec.image();
        ImageSize size = new ImageSize(image.channels(), image.height(), image.width());
        long correct = 0;
        long seen = 0;
        try (BatchLoader loader = BatchLoader.builder(testData, testView, size).batchSize(config.batchSize())
                .dropLast(false).seed(config.seed()).workers(machine.loaderWorkers()).build();
                NoGradGuard guard = new NoGradGuard()) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                try (PointerScope scope = new PointerScope()) {
                    Tensor logits = model.forward(BatchTensors.images(batch, device));
                    long[] predicted = new long[batch.size()];
                    logits.argmax(new LongOptional(1), false).cpu().contiguous().data_ptr_long().get(predicted);
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

    private static Tensor onDevice(Tensor cpu, Device device) {
        return device.is_cpu() ? cpu : cpu.to(device, ScalarType.Float);
    }
}
