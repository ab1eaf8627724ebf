package dev.mim4j.models.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.Natives;
import dev.mim4j.models.vit.VisionTransformer;
import dev.mim4j.models.weights.FiniteWeights;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.models.weights.WeightLoader;

/**
 * The encoder of a pre-training checkpoint, built alone: compiled from the recipe's backbone, with no
 * decoder, target, loss or mask token, and filled from the file.
 */
public final class EncoderCheckpoint {

    private EncoderCheckpoint() {
    }

    /**
     * The encoder of a mim4j pre-training checkpoint (a {@code checkpoint-NNNNNNNN.safetensors}, or a run
     * folder for its newest), on the CPU, in training mode as compiled modules are. Every one of its tensors
     * must be in the file with its shape, and finite.
     *
     * @throws IOException naming the file when it cannot be read, is not a pre-training checkpoint, or holds
     *     non-finite weights
     * @throws dev.mim4j.models.weights.IncompatibleWeightsException naming the tensors the file lacks or
     *     holds at another shape
     */
    public static Encoder load(Path checkpoint) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Path file = CheckpointFiles.resolve(checkpoint);
        CheckpointMetadata metadata = CheckpointMetadata.read(file);
        if (!metadata.has(CheckpointFormat.RECIPE)) {
            throw new IOException(file + ": not a mim4j pre-training checkpoint (its metadata has no '"
                    + CheckpointFormat.RECIPE + "')");
        }
        MimRecipe recipe = CheckpointFormat.recipe(metadata);
        Natives.load();
        VisionTransformer encoder = VisionTransformer.compile(recipe.backbone());
        try (SafetensorsWeights weights = SafetensorsWeights.open(file)) {
            // a recipe whose decoder follows SimMIM's layout keeps the encoder under "encoder.", MAE's at the top
            boolean nested = weights.names().stream().anyMatch(n -> n.startsWith(CheckpointFormat.MODEL + "encoder."));
            String prefix = CheckpointFormat.MODEL + (nested ? "encoder." : "");
            WeightLoader.lenient().fromPrefix(prefix).load(encoder, weights);
        }
        FiniteWeights.require(encoder, file.toString());
        return encoder;
    }
}
