package dev.mim4j.training.finetune;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ParameterFloor;
import dev.mim4j.models.checkpoint.CheckpointMetadata;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.TrainingPosition;

/**
 * What a fine-tuning checkpoint says of its run: the backbone, the config, the number of classes and
 * where the run stands.
 */
public record FineTuneState(Backbone spec, FineTuneConfig config, int classes, TrainingPosition position) {

    private static final String SCHEMA_ONE_POSITION = "mim4j.finetune.position";

    /**
     * The state of a fine-tuning checkpoint (a file, or the newest in a folder); checkpoints of schema 1
     * (which held the position as epochs done) resume at the next epoch.
     *
     * @throws IOException naming the file and the entry when it is not a fine-tuning checkpoint or its
     *     metadata is damaged
     */
    public static FineTuneState read(Path checkpoint) throws IOException {
        CheckpointMetadata metadata = CheckpointMetadata.read(checkpoint);
        boolean schemaOne = metadata.has(SCHEMA_ONE_POSITION);
        if (!metadata.has(FineTuningTask.SPEC) || !(metadata.has(FineTuningTask.CLASSES) || schemaOne)) {
            throw new IOException(metadata.file() + ": not a mim4j fine-tuning checkpoint");
        }
        Backbone spec = metadata.spec(FineTuningTask.SPEC, Backbone.class);
        metadata.checkModelFits(FineTuningTask.SPEC, ParameterFloor.of(spec));
        FineTuneConfig config = metadata.spec(FineTuningTask.CONFIG, FineTuneConfig.class);
        int classes;
        TrainingPosition position;
        if (schemaOne) {
            JsonNode saved = metadata.object(SCHEMA_ONE_POSITION);
            classes = metadata.smallCount(saved, SCHEMA_ONE_POSITION, "classes");
            position = TrainingPosition.epochStart(metadata.smallCount(saved, SCHEMA_ONE_POSITION, "epochs"),
                    metadata.count(saved, SCHEMA_ONE_POSITION, "step"));
        } else {
            String text = metadata.text(FineTuningTask.CLASSES);
            try {
                classes = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                classes = 0;
            }
            position = Checkpoints.readPosition(metadata.file());
        }
        if (classes < 2) {
            throw new IOException(metadata.file() + ": its number of classes is not a whole number from 2");
        }
        return new FineTuneState(spec, config, classes, position);
    }
}
