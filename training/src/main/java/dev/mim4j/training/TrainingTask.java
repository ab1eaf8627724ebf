package dev.mim4j.training;

import java.io.IOException;
import java.util.Map;

import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.weights.WeightSource;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * What a {@link TrainingLoop} trains: a module and the loss of a batch for it, plus what the task
 * does at the end of an epoch and saves with its checkpoints. Pre-training a masked-image model
 * ({@link PretrainingTask}) and fine-tuning a classifier are two tasks for the same loop; the loop
 * owns the rest (device, precision, accumulation, clipping, non-finite losses, bad images,
 * checkpoints, resume).
 */
public interface TrainingTask {

    /** One line for the run's description. */
    String describe();

    /** The module whose parameters are trained; the loop moves it to the device. */
    Module module();

    /** Its parameters' roles, which weight decay uses, by the names {@link #module()} gives them. */
    ParameterRoles parameterRoles();

    /** A learning-rate scale per parameter name (layer-wise decay); by default every rate is the schedule's. */
    default Map<String, Double> learningRateScales() {
        return Map.of();
    }

    /** The images the module takes. */
    ImageSpec input();

    /**
     * The loss of one micro-batch, a scalar that the loop back-propagates. Called on the loop's
     * thread, inside a pointer scope and, with bf16, inside autocast.
     */
    Tensor loss(StepInput input);

    /**
     * Runs after an epoch has ended and its checkpoint is written: pictures, evaluations, reported to
     * {@code end.listeners()}. Its time is not counted in the training rate.
     */
    default void afterEpoch(EpochEnd end) throws IOException {
    }

    /** The module's state as saved in a checkpoint (under {@code model.}). */
    Map<String, Tensor> state();

    /** Loads the state that {@link #state()} saved, strictly, from a checkpoint's weights under {@code model.}. */
    void restore(WeightSource checkpoint) throws IOException;

    /** The task's own entries of the checkpoints' metadata, from which a resume rebuilds the task. */
    Map<String, String> metadata();
}
