package dev.mim4j.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.checkpoint.CheckpointFiles;
import dev.mim4j.models.checkpoint.CheckpointFormat;
import dev.mim4j.models.checkpoint.CheckpointMetadata;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.weights.FiniteWeights;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.models.weights.SafetensorsFormatException;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.models.weights.WeightLoader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Checkpoints of the training loop: one safetensors file holding the task's model state
 * ({@code model.*}; a pre-trained model under its official names), the optimiser's moments
 * ({@code optimizer.*}) and, in the metadata, the config as JSON, the run's position, the input
 * normalisation and the task's own entries (a pre-training's recipe). Written to a temporary file and
 * renamed, so that a crash never leaves a half-written checkpoint, with checksums of every tensor and of the
 * header, which every read checks; the oldest beyond the kept count are removed only after a new one is in
 * place and has been read back against its checksums (through the page cache: what this catches is a
 * fault of the writer, not of the disk, which every later read checks).
 */
public final class Checkpoints {

    static final String MODEL = CheckpointFormat.MODEL;
    static final String OPTIMIZER = "optimizer.";
    static final String RECIPE = CheckpointFormat.RECIPE;
    static final String CONFIG = "mim4j.config";
    static final String POSITION = "mim4j.position";
    static final String NORMALIZATION = CheckpointFormat.NORMALIZATION;
    static final String DATA = "mim4j.data";
    static final String DATA_SIZE = "mim4j.data.size";
    static final String PRESET = "mim4j.preset";
    static final String SHARDS = "mim4j.shards";
    /** What a damaged checkpoint that a resume passed over is renamed to: its name and this. */
    static final String DAMAGED = ".damaged";
    private static final System.Logger LOG = System.getLogger(Checkpoints.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRESET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String PRESET_NAME_RULE = "1 to 64 lower-case letters, digits, '.', '_' or '-', starting"
            + " with a letter or digit";

    private Checkpoints() {
    }

    /** {@code checkpoint-00001234.safetensors} for step 1234. */
    public static Path path(Path directory, long step) {
        return CheckpointFiles.path(directory, step);
    }

    /**
     * Writes a checkpoint of the task's state, the optimiser and the position, with the task's metadata,
     * reads it back against its checksums, and only then removes the oldest beyond the newest {@code keep}:
     * pruning never deletes the last checkpoint that verified.
     *
     * @throws IOException if it cannot be written, or does not read back as written (the older ones are then
     *     all kept)
     */
    public static Path write(Path directory, TrainingTask task, Map<String, String> taskMetadata, AdamW optimizer,
            TrainConfig config, TrainingPosition position, Normalize normalization, int keep) throws IOException {
        Files.createDirectories(directory);
        Path target = path(directory, position.step());
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            task.state().forEach((name, t) -> tensors.put(MODEL + name, t));
            optimizer.state().forEach((name, t) -> tensors.put(OPTIMIZER + name, t));
            Map<String, String> metadata = new LinkedHashMap<>(taskMetadata);
            metadata.put(CONFIG, SpecJson.toJson(config));
            ObjectNode saved = JSON.createObjectNode();
            saved.put("step", position.step());
            saved.put("nextMicroBatch", position.nextMicroBatch());
            saved.put("epochPosition", position.epochPosition());
            saved.put("skippedSteps", position.skippedSteps());
            saved.put("optimizerSteps", position.optimizerSteps());
            saved.put("epochLossSum", position.epochLossSum());
            saved.put("epochSteps", position.epochSteps());
            metadata.put(POSITION, saved.toString());
            metadata.put(NORMALIZATION, CheckpointFormat.normalizationEntry(normalization));
            SafetensorsExport.write(tensors, target, metadata);
        }
        verify(target);
        prune(directory, keep);
        return target;
    }

    /**
     * Reads every byte of a checkpoint against the checksums written with it.
     *
     * @throws IOException naming the file, and the tensor or the header, when they do not match
     */
    public static void verify(Path file) throws IOException {
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            read.verify();
        }
    }

    /**
     * The checkpoint a run continues from: the file given, or the newest checkpoint in the folder given whose
     * bytes match their checksums. Each newer one that does not is passed over with a warning that names it
     * and what is damaged; the run's loop then renames it ({@code checkpoint-00000300.safetensors.damaged}),
     * so that its pruning cannot take the checkpoint resumed from.
     *
     * @throws IOException naming the file and the tensor when the file given, or every checkpoint in the
     *     folder, is damaged
     */
    public static Path resumable(Path fileOrDirectory) throws IOException {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        Path newest = resolve(fileOrDirectory);
        if (!Files.isDirectory(fileOrDirectory)) {
            verify(newest);
            return newest;
        }
        List<Path> all = CheckpointFiles.list(fileOrDirectory);
        List<String> damaged = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                verify(all.get(i));
            } catch (SafetensorsFormatException e) {
                damaged.add(e.getMessage());
                continue;
            }
            for (String sentence : damaged) {
                LOG.log(System.Logger.Level.WARNING, "{0}; resuming from {1}, the newest checkpoint that reads back"
                        + " whole", sentence, all.get(i).getFileName());
            }
            return all.get(i);
        }
        throw new IOException("every checkpoint in " + fileOrDirectory + " is damaged; the newest: " + damaged.get(0));
    }

    /**
     * Renames each checkpoint in {@code directory} newer than {@code step} that does not read back whole to
     * its name and {@value #DAMAGED}, keeping its bytes, so that the run resumed from {@code step} can go on
     * in the folder; only while this process holds the folder's lock.
     */
    static void setAsideDamaged(Path directory, long step) throws IOException {
        for (Path checkpoint : CheckpointFiles.list(directory)) {
            if (CheckpointFiles.step(checkpoint) <= step) {
                continue;
            }
            try {
                verify(checkpoint);
            } catch (SafetensorsFormatException e) {
                Path aside = checkpoint.resolveSibling(checkpoint.getFileName() + DAMAGED);
                for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
                    aside = checkpoint.resolveSibling(checkpoint.getFileName() + DAMAGED + "-" + n);
                }
                Files.move(checkpoint, aside);
                LOG.log(System.Logger.Level.WARNING, "{0}; renamed to {1}", e.getMessage(), aside.getFileName());
            }
        }
    }

    /**
     * Refuses an output folder whose checkpoints would be pruned by, or mixed with, this run's: any
     * checkpoint for a new run ({@code resumedStep} negative), or one newer than the step resumed.
     */
    public static void checkOutputFolder(Path directory, long resumedStep) throws IOException {
        Optional<Path> newest = latest(directory);
        if (newest.isEmpty() || CheckpointFiles.step(newest.get()) <= resumedStep) {
            return;
        }
        throw new Mim4jException(Mim4jException.OUTPUT, resumedStep < 0
                ? directory + " already holds checkpoints of another run (newest " + newest.get().getFileName()
                        + "): resume that run, or choose another output folder"
                : directory + " holds " + newest.get().getFileName() + ", newer than the step " + resumedStep
                        + " being resumed, which this run's pruning would delete: resume from the newest, or choose"
                        + " another output folder");
    }

    /**
     * Deletes the temporary files that writes killed before their rename left in {@code directory}
     * ({@code .checkpoint-00001234.safetensors.1f2e3d.tmp}, {@code .metrics.jsonl.4a5b6c.tmp}); only while this
     * process holds the folder's lock, when no other write can be under way.
     */
    static void removeUnfinishedWrites(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp") && Files.isRegularFile(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * What data the run of a checkpoint was trained on, as {@code ImageDataset.describe()} put it (path,
     * number of images, channels); empty for checkpoints written before it was recorded.
     */
    public static Optional<String> readDataDescription(Path fileOrDirectory) throws IOException {
        return Optional.ofNullable(CheckpointMetadata.read(fileOrDirectory).entries().get(DATA));
    }

    /**
     * The name of the preset ({@link dev.mim4j.training.preset.Preset}) the run of a checkpoint trains with;
     * empty for a run started without one, and for checkpoints written before presets were recorded.
     *
     * @throws IOException if the entry is not a preset name
     */
    public static Optional<String> readPresetName(Path fileOrDirectory) throws IOException {
        CheckpointMetadata metadata = CheckpointMetadata.read(fileOrDirectory);
        if (!metadata.has(PRESET)) {
            return Optional.empty();
        }
        String name = metadata.text(PRESET);
        if (!isPresetName(name)) {
            throw new IOException(metadata.file() + ": its '" + PRESET + "' metadata is not a preset name ("
                    + PRESET_NAME_RULE + ")");
        }
        return Optional.of(name);
    }

    /**
     * Whether {@code name} can name a preset, as typed after {@code --recipe} and recorded in a checkpoint: 1 to
     * 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.
     */
    public static boolean isPresetName(String name) {
        return name != null && PRESET_NAME.matcher(name).matches();
    }

    /**
     * {@code name}, if it can name a preset ({@link #isPresetName}).
     *
     * @throws Mim4jException naming the value and what a preset name may be
     */
    public static String checkPresetName(String name) {
        if (!isPresetName(name)) {
            throw new Mim4jException("preset name", "preset name '" + name + "' is not one: a preset name is "
                    + PRESET_NAME_RULE + " (it is typed after --recipe)");
        }
        return name;
    }

    /** The metadata entry of a run's shards: each rank's next image in its shard of the epoch, in rank order. */
    static String shardsEntry(long[] imagePositions) {
        return JSON.valueToTree(imagePositions).toString();
    }

    /**
     * Each rank's next image in its shard of the epoch, in rank order, so as many as the run had processes; for
     * checkpoints written before it was recorded (by one process), that process's place from its position.
     *
     * @throws IOException if the entry is not a list of image positions
     */
    public static long[] readShardPositions(Path fileOrDirectory) throws IOException {
        CheckpointMetadata metadata = CheckpointMetadata.read(fileOrDirectory);
        if (!metadata.has(SHARDS)) {
            return new long[] {position(metadata).imagePosition()};
        }
        try {
            long[] positions = JSON.readValue(metadata.text(SHARDS), long[].class);
            if (positions.length == 0 || Arrays.stream(positions).anyMatch(p -> p < 0 || p > Integer.MAX_VALUE)) {
                throw new IOException("no positions, or one out of range");
            }
            return positions;
        } catch (IOException e) {
            throw new IOException(metadata.file() + ": its '" + SHARDS + "' metadata is not a list of image positions,"
                    + " one per process (" + e.getMessage() + ")");
        }
    }

    /** How many images the run of a checkpoint had; empty for checkpoints written before it was recorded. */
    public static Optional<Integer> readDataSize(Path fileOrDirectory) throws IOException {
        CheckpointMetadata metadata = CheckpointMetadata.read(fileOrDirectory);
        if (!metadata.has(DATA_SIZE)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(metadata.text(DATA_SIZE)));
        } catch (NumberFormatException e) {
            throw new IOException(metadata.file() + ": its '" + DATA_SIZE + "' metadata is not a number of images");
        }
    }

    /** The newest checkpoint in {@code directory}, by step. */
    public static Optional<Path> latest(Path directory) throws IOException {
        return CheckpointFiles.latest(directory);
    }

    /**
     * Reads the recipe, config and position of a checkpoint (a file, or the newest in a folder).
     *
     * @throws IOException naming the file and the entry when it is not a mim4j pre-training checkpoint or
     *     its metadata is damaged
     */
    public static CheckpointState readState(Path fileOrDirectory) throws IOException {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        CheckpointMetadata metadata = CheckpointMetadata.read(fileOrDirectory);
        Path file = metadata.file();
        if (!metadata.has(RECIPE) && metadata.has(CONFIG) && metadata.has(POSITION)
                && !metadata.has(CheckpointFormat.FINE_TUNING_SPEC)) {
            throw new IOException(file + ": a pre-training checkpoint of a model assembled by hand, which has no"
                    + " recipe to build it from: build the model as before, then Pretrainer.resume(checkpoint, model,"
                    + " ...) or load its weights with WeightLoader");
        }
        MimRecipe recipe = CheckpointFormat.recipe(metadata);
        for (String key : List.of(CONFIG, POSITION)) {
            if (!metadata.has(key)) {
                throw new IOException(file + ": not a mim4j pre-training checkpoint (no '" + key
                        + "' in its metadata)");
            }
        }
        TrainConfig config = metadata.spec(CONFIG, TrainConfig.class);
        TrainingPosition position = position(metadata);
        return new CheckpointState(recipe, config, position.step(), position.nextMicroBatch(),
                position.epochPosition(), position.skippedSteps());
    }

    /** The config of the run a checkpoint (a file, or the newest in a folder) was written by. */
    public static TrainConfig readConfig(Path fileOrDirectory) throws IOException {
        return CheckpointMetadata.read(fileOrDirectory).spec(CONFIG, TrainConfig.class);
    }

    /** The position of the run a checkpoint (a file, or the newest in a folder) was written at. */
    public static TrainingPosition readPosition(Path fileOrDirectory) throws IOException {
        return position(CheckpointMetadata.read(fileOrDirectory));
    }

    /**
     * The position of rank {@code rank} of a run of {@code processes} that goes on as the checkpoint's run was, in
     * as many processes: its own place in its shard of the epoch.
     *
     * @throws Mim4jException if the checkpoint was written by a run of another number of processes
     */
    public static TrainingPosition readPosition(Path fileOrDirectory, int rank, int processes) throws IOException {
        if (rank < 0 || rank >= processes) {
            throw new Mim4jException("rank", "rank " + rank + " must be from 0 to " + (processes - 1) + " in a run of "
                    + processes + " processes");
        }
        long[] shards = readShardPositions(fileOrDirectory);
        if (shards.length != processes) {
            throw new Mim4jException("processes", "the checkpoint " + resolve(fileOrDirectory) + " was written by a"
                    + " run of " + shards.length + (shards.length == 1 ? " process" : " processes") + "; this run has "
                    + processes + ", and goes on only from a run of as many");
        }
        return readPosition(fileOrDirectory).withImagePosition((int) shards[rank]);
    }

    /** A checkpoint's metadata (a file, or the newest in a folder). */
    public static Map<String, String> metadata(Path fileOrDirectory) throws IOException {
        return CheckpointMetadata.read(fileOrDirectory).entries();
    }

    private static TrainingPosition position(CheckpointMetadata metadata) throws IOException {
        JsonNode position = metadata.object(POSITION);
        // checkpoints before the epoch's losses were recorded have neither field: the epoch's mean then
        // covers the steps after the resume
        boolean withEpochLosses = position.has("epochSteps");
        return new TrainingPosition(metadata.count(position, POSITION, "step"),
                metadata.count(position, POSITION, "nextMicroBatch"),
                metadata.smallCount(position, POSITION, "epochPosition"),
                metadata.count(position, POSITION, "skippedSteps"),
                metadata.count(position, POSITION, "optimizerSteps"),
                withEpochLosses ? metadata.finite(position, POSITION, "epochLossSum") : 0,
                withEpochLosses ? metadata.count(position, POSITION, "epochSteps") : 0);
    }

    /**
     * The model a checkpoint holds, compiled from its recipe with its weights (strictly), on the CPU:
     * for reconstructions, or {@code encoder()} for features and fine-tuning. Weights with NaN or
     * infinite values are refused with an {@link IOException} naming the tensors.
     */
    public static MimModel loadModel(Path fileOrDirectory) throws IOException {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        Path file = resolve(fileOrDirectory);
        MimModel model = MimModel.compile(readState(file).recipe());
        try (SafetensorsWeights weights = SafetensorsWeights.open(file)) {
            model.load(WeightLoader.strict().fromPrefix(MODEL), weights);
        }
        FiniteWeights.require(model, file.toString());
        return model;
    }

    /**
     * The input normalisation the checkpoint's model was trained with (per-channel mean and std),
     * which features, probes, fine-tuning and pictures must apply too.
     */
    public static Normalize readNormalization(Path fileOrDirectory) throws IOException {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        return CheckpointFormat.normalization(CheckpointMetadata.read(fileOrDirectory));
    }

    /** Loads the checkpoint's model state (strictly, by the task) and the optimiser's moments and step count. */
    static void restore(Path fileOrDirectory, TrainingTask task, AdamW optimizer, long optimizerSteps)
            throws IOException {
        Path file = resolve(fileOrDirectory);
        try (SafetensorsWeights weights = SafetensorsWeights.open(file); PointerScope scope = new PointerScope()) {
            task.restore(weights);
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (String name : weights.names()) {
                if (name.startsWith(OPTIMIZER)) {
                    state.put(name.substring(OPTIMIZER.length()), weights.read(name));
                }
            }
            optimizer.restore(state, optimizerSteps);
        }
    }

    /** The checkpoint file itself, or the newest checkpoint in a folder. */
    public static Path resolve(Path fileOrDirectory) throws IOException {
        return CheckpointFiles.resolve(fileOrDirectory);
    }

    private static void prune(Path directory, int keep) throws IOException {
        List<Path> all = CheckpointFiles.list(directory);
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
