package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.Natives;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.checkpoint.EncoderCheckpoint;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.Transforms;
import dev.mim4j.training.eval.FeatureExtractor;
import dev.mim4j.training.eval.Features;
import dev.mim4j.training.eval.PixelFeatures;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** Where features come from: a checkpoint's encoder, a randomly initialised encoder, or raw pixels. */
final class FeatureSource {

    @Mixin
    MachineOptions machine;

    @Option(names = "--checkpoint", description = "A pre-training checkpoint file, or a run folder (its newest):"
            + " its encoder gives the features, on images normalised as in its pre-training.")
    Path checkpoint;

    @Option(names = "--random-init", description = "A randomly initialised encoder (a baseline): the spec of --like,"
            + " or else the one --spec or --model and --recipe describe for the images.")
    boolean randomInit;

    @Option(names = "--like", description = "With --random-init: the checkpoint whose encoder spec and"
            + " normalisation are taken.")
    Path like;

    @Option(names = "--pixels", description = "No encoder: each image's normalised pixels are its features"
            + " (a baseline).")
    boolean pixels;

    @Mixin
    ModelOptions model;

    @Option(names = "--pooling", defaultValue = "auto", description = "cls (the cls token, MAE's linear-probe"
            + " default), mean (the mean of the patch tokens), or auto: cls when the encoder has a cls token,"
            + " else mean, as for a Swin (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--block", description = "Features after this block (1 to the encoder's depth) and the final"
            + " norm, instead of after the last block: masked-image models often keep their best features in a"
            + " middle block (default: the last).")
    Integer block;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of --random-init's weights and, in"
            + " linprobe, of the head and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private Encoder encoder;
    private Normalize recorded;

    /**
     * Checks the choice, sets the threads, and loads or builds the encoder (none for {@code --pixels});
     * {@code dataSize} is the size images come out of the data at, which a new spec is made for.
     */
    void prepare(ImageSize dataSize) throws IOException {
        int chosen = (checkpoint != null ? 1 : 0) + (randomInit ? 1 : 0) + (pixels ? 1 : 0);
        if (chosen != 1) {
            throw new IllegalArgumentException("choose the features with exactly one of --checkpoint,"
                    + " --random-init and --pixels");
        }
        if (like != null && !randomInit) {
            throw new IllegalArgumentException("--like " + like + " goes with --random-init");
        }
        if (block != null && pixels) {
            throw new IllegalArgumentException("--block " + block + " goes with --checkpoint or --random-init,"
                    + " not --pixels");
        }
        if (!pooling.equalsIgnoreCase("auto")) {
            Pooling.named(pooling);
        }
        Natives.threads(machine.threadsFor(false));
        if (checkpoint != null) {
            encoder = EncoderCheckpoint.load(checkpoint).encoder();
            recorded = Checkpoints.readNormalization(checkpoint);
        } else if (randomInit) {
            Backbone spec = like != null ? Checkpoints.readState(like).recipe().backbone()
                    : model.recipe(dataSize.height(), dataSize.width(), dataSize.channels()).backbone();
            torch.manual_seed(seed);
            encoder = VisionTransformer.compile(spec);
            recorded = like != null ? Checkpoints.readNormalization(like) : null;
        }
        if (block != null) {
            encoder.checkBlocks(block);
        }
        ParseResult parsed = command.commandLine().getParseResult();
        if (encoder != null && parsed.hasMatchedOption("--image-size")) {
            int given = parsed.matchedOptionValue("--image-size", 0);
            ImageSpec image = encoder.spec().image();
            if (given != image.height() || given != image.width()) {
                throw new IllegalArgumentException("--image-size " + given + " does not fit the encoder, which takes "
                        + image.height() + "x" + image.width() + " images (" + (checkpoint != null ? "--checkpoint"
                                : "--like") + "); leave --image-size out: images are resized to the encoder's size");
            }
        }
    }

    /** The normalisation recorded with the checkpoint (--checkpoint, --like), else the one --normalize asks for. */
    Normalize normalization(ImageDataset dataset, DataFormatOptions format) throws IOException {
        return recorded != null ? recorded : format.normalization(dataset, 0);
    }

    /** The features of {@code dataset}, whose images come out at {@code dataSize}, seen through the eval view. */
    Features extract(ImageDataset dataset, Normalize normalize, ImageSize dataSize, int batch) throws IOException {
        System.err.println("features of " + dataset.describe());
        if (encoder == null) {
            return PixelFeatures.of(dataset, Transforms.eval(square(dataSize.height(), dataSize.width(), "the data"),
                    normalize), machine.workers);
        }
        ImageSpec image = encoder.spec().image();
        return FeatureExtractor.extract(encoder, blocks(), dataset,
                Transforms.eval(square(image.height(), image.width(), "the encoder"), normalize),
                pooling(), batch, machine.workers);
    }

    /** --pooling, with auto resolved by the encoder: cls when it has a cls token, else mean. */
    private Pooling pooling() {
        if (!pooling.equalsIgnoreCase("auto")) {
            return Pooling.named(pooling);
        }
        return encoder.spec().prefixTokens() > 0 ? Pooling.CLS : Pooling.MEAN;
    }

    /** Adds where the features come from, their pooling and width to a result line. */
    void describe(ObjectNode line, Features features) {
        line.put("features", checkpoint != null ? "checkpoint " + checkpoint
                : randomInit ? "random init " + encoder.spec().describe() : "pixels");
        line.put("pooling", encoder == null ? "pixels" : pooling().label());
        if (encoder != null) {
            line.put("block", blocks());
        }
        line.put("width", features.width());
    }

    /** The blocks the features come after: --block, or all of them. */
    private int blocks() {
        return block != null ? block : encoder.depth();
    }

    private static int square(int height, int width, String what) {
        if (height != width) {
            throw new IllegalArgumentException(what + " takes " + height + "x" + width + " images; the evaluation"
                    + " view crops squares");
        }
        return height;
    }
}
