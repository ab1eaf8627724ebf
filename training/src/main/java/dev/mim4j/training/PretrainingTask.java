package dev.mim4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.ParameterRoles;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.weights.WeightLoader;
import dev.mim4j.models.weights.WeightSource;
import dev.mim4j.training.data.BadImagePolicy;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Pre-training a masked-image model as a {@link TrainingTask}: the loss of a batch under masks that
 * the model's policy draws from the step's random source; after epochs, reconstruction pictures and
 * an optional measurement of the encoder (kNN, say). Checkpoints hold the model under its official
 * names and, for a compiled model, its recipe.
 */
public final class PretrainingTask implements TrainingTask {

    private static final System.Logger LOG = System.getLogger(PretrainingTask.class.getName());

    private final MimModel model;
    private final TrainConfig config;
    private final TrainingData data;
    private final EncoderEvaluation evaluation;
    private final int evaluateEveryEpochs;
    private final StepMasks masks;
    private boolean toldNoPictures;

    /**
     * @param evaluation measured after every {@code evaluateEveryEpochs}-th epoch and the last; or null
     * @param masks the masks of each step, or null for masks drawn by the model's policy
     * @throws IllegalArgumentException naming what is missing, or a policy that cannot draw masks for
     *     the model's grid (explicit masking without a source of masks)
     */
    public PretrainingTask(MimModel model, TrainConfig config, TrainingData data, EncoderEvaluation evaluation,
            int evaluateEveryEpochs, StepMasks masks) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
        if (evaluation != null && evaluateEveryEpochs < 1) {
            throw new Mim4jException("evaluation period", "an evaluation during pre-training needs a period of at least 1"
                    + " epoch, not " + evaluateEveryEpochs);
        }
        if (masks == null) {
            checkDraws(model);
        }
        this.model = model;
        this.config = config;
        this.data = data;
        this.evaluation = evaluation;
        this.evaluateEveryEpochs = evaluateEveryEpochs;
        this.masks = masks;
    }

    /** One draw before the run, so that a policy that cannot draw fails with a sentence, not at step 1. */
    private static void checkDraws(MimModel model) {
        TokenGrid grid = model.backbone().grid();
        boolean[] mask;
        try {
            mask = model.masking().sample(grid, new SplittableRandom(0));
        } catch (SpecException e) {
            throw new Mim4jException("masking", "the model's masking cannot draw masks (" + e.getMessage() + ")", e);
        }
        if (mask == null || mask.length != grid.tokens()) {
            throw new Mim4jException("masking", "masking policy " + model.masking().describe() + " gave "
                    + (mask == null ? "no mask" : "a mask of " + mask.length + " tokens") + " for a " + grid.describe()
                    + " grid of " + grid.tokens() + " tokens");
        }
    }

    public MimModel model() {
        return model;
    }

    @Override
    public String describe() {
        return model.describe() + "; " + model.backbone().describe();
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
    public ImageSpec input() {
        return model.backbone().image();
    }

    @Override
    public Tensor loss(StepInput input) {
        Tensor images = input.images();
        input.seedDropPath();
        return masks != null ? model.forward(images, masks.masks(input.microBatch(), input.size())).loss()
                : model.forward(images, input.random(StepSeeds.Stream.MASKS)).loss();
    }

    @Override
    public void afterEpoch(EpochEnd end) throws IOException {
        int done = end.epoch() + 1;
        if (config.picturesEveryEpochs() > 0 && (done % config.picturesEveryEpochs() == 0 || end.last())) {
            Path picture = picture(end);
            if (picture != null) {
                end.listeners().onPicture(picture);
            }
        }
        if (evaluation != null && (done % evaluateEveryEpochs == 0 || end.last())) {
            end.listeners().onEvaluation(end.epoch(), evaluation.metric(), evaluation.measure(model.encoder()));
        }
    }

    @Override
    public Map<String, Tensor> state() {
        return model.officialState();
    }

    @Override
    public void restore(WeightSource checkpoint) throws IOException {
        model.load(WeightLoader.strict().fromPrefix(Checkpoints.MODEL), checkpoint);
    }

    /** The recipe of a compiled model; an assembled model has none, and resumes only into one assembled alike. */
    @Override
    public Map<String, String> metadata() {
        return model.recipe().map(recipe -> Map.of(Checkpoints.RECIPE, SpecJson.toJson(recipe))).orElse(Map.of());
    }

    /**
     * Reconstructions of the dataset's first (readable) images under a fixed mask, or the target's drawings of
     * them; null when none of them can be read, when the target neither maps back to pixels nor draws, and when
     * the drawing fails.
     */
    private Path picture(EpochEnd end) throws IOException {
        if (toldNoPictures) {
            return null; // the target has nothing to picture: no forward passes for nothing
        }
        int count = Math.min(8, data.dataset().size());
        ImageSpec image = input();
        int plane = image.channels() * image.height() * image.width();
        float[] pixels = new float[count * plane];
        int drawn = 0;
        for (int i = 0; i < data.dataset().size() && drawn < count; i++) {
            FloatImage read;
            try {
                read = data.dataset().read(i);
            } catch (IOException e) {
                if (data.badImages() == BadImagePolicy.FAIL) {
                    throw e;
                }
                continue; // an unreadable image is skipped here too, as the loader skips it
            }
            read = data.viewTransform().apply(read,
                    new SplittableRandom(StepSeeds.derive(config.seed(), StepSeeds.Stream.PICTURES, i)));
            System.arraycopy(read.pixels(), 0, pixels, drawn * plane, plane);
            drawn++;
        }
        if (drawn == 0) {
            return null;
        }
        if (drawn < count) {
            pixels = Arrays.copyOf(pixels, drawn * plane);
            count = drawn;
        }
        Path path = end.output().resolve(String.format("reconstruction-epoch%04d.png", end.epoch() + 1));
        // a picture is for people: whatever goes wrong in drawing it is told, and the run goes on
        try (PointerScope scope = new PointerScope()) {
            Tensor images = Tensors.floats(pixels, count, image.channels(), image.height(), image.width())
                    .to(end.device(), ScalarType.Float);
            MaskSample sample = masks != null ? masks.masks(-1, count) : MaskSample.draw(model.masking(),
                    model.backbone().grid(), count,
                    new SplittableRandom(StepSeeds.derive(config.seed(), StepSeeds.Stream.PICTURES, -1)));
            int scale = Math.max(1, 96 / image.height());
            Optional<ModelPicture> picture = ModelPicture.of(model, images, sample);
            if (picture.isEmpty()) {
                toldNoPictures = true;
                LOG.log(System.Logger.Level.INFO, "no reconstruction pictures: the target ({0}) has no way back to"
                        + " pixels and draws nothing", targetName());
                return null;
            }
            picture.get().write(data.normalization().mean(), data.normalization().std(), scale, path);
            return path;
        } catch (RuntimeException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the reconstruction picture of epoch {0} could not be drawn ({1});"
                    + " the run goes on", end.epoch() + 1, e.getMessage());
            return null;
        }
    }

    private String targetName() {
        return model.recipe().map(recipe -> recipe.target().describe()).orElse("of an assembled model");
    }
}
