package dev.mim4j.models.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.Natives;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.layout.WeightLayout;
import dev.mim4j.models.transfer.ShapeAdaptation;
import dev.mim4j.models.weights.FiniteWeights;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.WeightFiles;
import dev.mim4j.models.weights.WeightSource;

/**
 * An encoder built alone from a file of weights: compiled from a backbone, with no decoder, target, loss or
 * mask token, and filled through a {@link WeightLayout}. A mim4j pre-training checkpoint says its backbone and
 * normalisation itself; an official MAE or SimMIM {@code .pth}, a timm or a Hugging Face safetensors file is
 * read at a backbone the caller gives, with ImageNet's normalisation, which those models were trained with.
 *
 * <p>Native memory: the encoder is the caller's; {@code encoder().module().close()} frees its weights, as
 * {@link dev.mim4j.models.inference.ImageEncoder#close()} does for the encoder it wraps.
 *
 * @param encoder on the CPU, in training mode as compiled modules are
 * @param report what was loaded, and what was adapted to the encoder's sizes (a position table resampled)
 * @param normalization the input normalisation its weights expect
 * @param layout the layout the file was read in
 */
public record EncoderCheckpoint(Encoder encoder, LoadReport report, Normalize normalization, WeightLayout layout) {

    public EncoderCheckpoint {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(layout, "layout");
    }

    /**
     * The encoder of a mim4j pre-training checkpoint (a {@code checkpoint-NNNNNNNN.safetensors}, or a run
     * folder for its newest) at the backbone it was trained at.
     *
     * @throws IOException naming the file when it cannot be read, is not a pre-training checkpoint, or holds
     *     non-finite weights
     * @throws dev.mim4j.models.weights.IncompatibleWeightsException naming the tensors the file lacks
     */
    public static EncoderCheckpoint load(Path checkpoint) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Path file = CheckpointFiles.resolve(checkpoint);
        CheckpointMetadata metadata = metadataOfRun(file);
        Backbone trained = CheckpointFormat.recipe(metadata).backbone();
        return build(file, trained, null, metadata, trained);
    }

    /**
     * The encoder of {@code backbone} from {@code file}: a mim4j checkpoint (or run folder), a {@code .pth}, or a
     * safetensors file, in the layout its names follow ({@link WeightLayout#detect}). A backbone at another image
     * size or window than the file's gets its position tables resampled and its bias tables resized, and the
     * report lists them.
     *
     * @throws IOException naming the file when it cannot be read or holds non-finite weights
     * @throws dev.mim4j.models.weights.IncompatibleWeightsException naming the tensors the file lacks, or holds
     *     at a shape no rule adapts
     */
    public static EncoderCheckpoint load(Path file, Backbone backbone) throws IOException {
        return load(file, backbone, null);
    }

    /** As {@link #load(Path, Backbone)}, in {@code layout} (null: detected from the file's names). */
    public static EncoderCheckpoint load(Path file, Backbone backbone, WeightLayout layout) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backbone, "backbone");
        Path resolved = CheckpointFiles.resolve(file);
        CheckpointMetadata metadata = mim4jMetadata(resolved);
        Backbone trained = metadata == null ? null : CheckpointFormat.recipe(metadata).backbone();
        return build(resolved, backbone, layout, metadata, trained);
    }

    /**
     * Builds {@code backbone} from {@code file}; {@code metadata} and {@code trained} (the backbone its recipe was
     * trained at) are those of a mim4j checkpoint, read once by the caller, or null for weights of another origin.
     */
    private static EncoderCheckpoint build(Path file, Backbone backbone, WeightLayout layout,
            CheckpointMetadata metadata, Backbone trained) throws IOException {
        Normalize normalization = metadata == null ? Normalize.IMAGENET : CheckpointFormat.normalization(metadata);
        Natives.load();
        VisionTransformer encoder = VisionTransformer.compile(backbone);
        try (WeightSource weights = WeightFiles.open(file)) {
            WeightLayout chosen = layout != null ? layout : detect(weights.names(), trained);
            LoadReport report = chosen.load(encoder, weights, name -> false);
            FiniteWeights.require(encoder, file.toString());
            return new EncoderCheckpoint(encoder, report, normalization, chosen);
        } catch (IOException | RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /**
     * A mim4j checkpoint's layout is its model's, under {@code model.}, and its recipe says the grid its position
     * tables were trained at (which may not be square); another file's is detected from its names.
     */
    private static WeightLayout detect(List<String> names, Backbone trained) {
        if (trained == null) {
            return WeightLayout.detect(names);
        }
        List<String> model = names.stream().filter(n -> n.startsWith(CheckpointFormat.MODEL))
                .map(n -> n.substring(CheckpointFormat.MODEL.length())).toList();
        return WeightLayout.detect(model).under(CheckpointFormat.MODEL)
                .withFilter(ShapeAdaptation.from(trained.grid()));
    }

    /** The metadata of a mim4j checkpoint, or null for a file of weights of another origin. */
    private static CheckpointMetadata mim4jMetadata(Path file) throws IOException {
        if (WeightFiles.isTorchSaveArchive(file)) {
            return null;
        }
        CheckpointMetadata metadata = CheckpointMetadata.read(file);
        return metadata.has(CheckpointFormat.RECIPE) ? metadata : null;
    }

    private static CheckpointMetadata metadataOfRun(Path file) throws IOException {
        CheckpointMetadata metadata = CheckpointMetadata.read(file);
        if (!metadata.has(CheckpointFormat.RECIPE) && !metadata.has(CheckpointFormat.FINE_TUNING_SPEC)) {
            throw new IOException(file + ": not a mim4j pre-training checkpoint (its metadata has no '"
                    + CheckpointFormat.RECIPE + "'); weights of another origin load with a backbone:"
                    + " EncoderCheckpoint.load(file, backbone)");
        }
        return metadata;
    }
}
