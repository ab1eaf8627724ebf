package dev.mim4j.models.checkpoint;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.dsl.ParameterFloor;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.Normalize;

/**
 * What a mim4j checkpoint holds for whoever uses its model: a safetensors file with the model's tensors
 * under {@value #MODEL} (a pre-trained model under its official names, its encoder under the recipe's
 * encoder prefix), the recipe as spec JSON in {@value #RECIPE}, and the input normalisation the model was
 * trained with in {@value #NORMALIZATION}. The training loop adds its own entries (optimiser, position);
 * nothing here needs them.
 */
public final class CheckpointFormat {

    /** The prefix of the model's tensors. */
    public static final String MODEL = "model.";
    /** The metadata entry of a pre-training's recipe, as spec JSON. */
    public static final String RECIPE = "mim4j.recipe";
    /** The metadata entry of a fine-tuning's encoder spec, which only fine-tuning checkpoints hold. */
    public static final String FINE_TUNING_SPEC = "mim4j.finetune.spec";
    /** The metadata entry of the input normalisation: {@code {"mean": [...], "std": [...]}}. */
    public static final String NORMALIZATION = "mim4j.normalization";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFormat() {
    }

    /** The value of {@value #NORMALIZATION} for {@code normalization}. */
    public static String normalizationEntry(Normalize normalization) {
        ObjectNode inputs = JSON.createObjectNode();
        float[] mean = normalization.mean();
        float[] std = normalization.std();
        for (int c = 0; c < mean.length; c++) {
            inputs.withArray("mean").add(mean[c]);
            inputs.withArray("std").add(std[c]);
        }
        return inputs.toString();
    }

    /**
     * The input normalisation of a checkpoint's model (per-channel mean and std), which features, probes,
     * fine-tuning and pictures must apply too.
     *
     * @throws IOException naming the file and the entry when it is missing or damaged
     */
    public static Normalize normalization(CheckpointMetadata metadata) throws IOException {
        JsonNode node = metadata.object(NORMALIZATION);
        float[] mean = metadata.floats(node, NORMALIZATION, "mean");
        float[] std = metadata.floats(node, NORMALIZATION, "std");
        return metadata.checked(NORMALIZATION, m -> new Normalize(mean, std));
    }

    /**
     * The recipe of a pre-training checkpoint, checked against the file's tensors before anything is built
     * ({@link CheckpointMetadata#checkModelFits}).
     *
     * @throws IOException naming the file when it holds none, it cannot be read, or it describes a model larger
     *     than the file's tensors or the machine's memory
     */
    public static MimRecipe recipe(CheckpointMetadata metadata) throws IOException {
        if (!metadata.has(RECIPE) && metadata.has(FINE_TUNING_SPEC)) {
            throw new IOException(metadata.file() + ": a fine-tuning checkpoint, not a pre-training one; give the"
                    + " checkpoint (or run folder) of the pre-training run");
        }
        MimRecipe recipe = metadata.spec(RECIPE, MimRecipe.class);
        metadata.checkModelFits(RECIPE, ParameterFloor.of(recipe));
        return recipe;
    }
}
