package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.models.Patches;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.mim.TargetFunction;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pictures follow the target: one with a way back to pixels is pictured, one that draws itself by its drawings,
 * one with neither is not (and the run says so once), and a picture that fails to draw never fails the run.
 */
class PicturesFollowTheTargetTest {

    /** A test target as wide as a patch's pixels, on any backbone. */
    interface PixelWide extends Target {
        @Override
        default void validate(Backbone backbone) {
        }

        @Override
        default int width(Backbone backbone) {
            return backbone.patchDim();
        }
    }

    /** The squared pixels of each patch: as wide as pixels, with no way back to them. */
    public record SquaredPixels() implements PixelWide {
        @Override
        public String describe() {
            return "squared pixels";
        }
    }

    /** The squared pixels again, drawn by the target itself as the grey mean of each patch's values. */
    public record DrawnSquares() implements PixelWide {
        @Override
        public String describe() {
            return "squared pixels drawn";
        }
    }

    /** Pixels whose way back to pixels breaks. */
    public record BrokenPicturePixels() implements PixelWide {
        @Override
        public String describe() {
            return "pixels with a broken picture";
        }
    }

    @BeforeAll
    static void register() {
        SpecJson.register(Target.class, "squaredPixels", SquaredPixels.class);
        SpecJson.register(Target.class, "brokenPicturePixels", BrokenPicturePixels.class);
        SpecJson.register(Target.class, "drawnSquares", DrawnSquares.class);
        Compilers.target(DrawnSquares.class, (target, backbone) -> new TargetFunction() {
            @Override
            public Tensor of(Tensor images) {
                return Patches.patchify(images, backbone.grid().patchSize()).square();
            }

            @Override
            public Optional<Tensor> draw(Tensor values, Tensor images) {
                int p = backbone.grid().patchSize();
                Tensor grey = values.mean(new long[] {-1}, true, new ScalarTypeOptional()).expand(-1, -1, p * p)
                        .contiguous();
                return Optional.of(Patches.unpatchify(grey, p, 1, backbone.grid().rows(), backbone.grid().columns())
                        .clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(1.0))));
            }
        });
        Compilers.target(SquaredPixels.class, (target, backbone) -> images ->
                Patches.patchify(images, backbone.grid().patchSize()).square());
        Compilers.target(BrokenPicturePixels.class, (target, backbone) -> new TargetFunction() {
            @Override
            public Tensor of(Tensor images) {
                return Patches.patchify(images, backbone.grid().patchSize());
            }

            @Override
            public Optional<Tensor> toPixels(Tensor prediction, Tensor images) {
                throw new IllegalStateException("the drawing broke");
            }
        });
    }

    @Test
    void aTargetWithNoWayBackToPixelsTrainsWithoutPictures(@TempDir Path dir) throws Exception {
        RunSummary summary = Pretrainer.start(recipe(new SquaredPixels()), config(), TinyRuns.data(16), dir).run();
        assertThat(summary.steps()).isEqualTo(4);
        assertThat(pictures(dir)).isEmpty();
        assertThat(Checkpoints.latest(dir)).isPresent();
    }

    @Test
    void aPictureThatFailsToDrawNeverFailsTheRun(@TempDir Path dir) throws Exception {
        RunSummary summary = Pretrainer.start(recipe(new BrokenPicturePixels()), config(), TinyRuns.data(16), dir)
                .run();
        assertThat(summary.steps()).isEqualTo(4);
        assertThat(pictures(dir)).isEmpty();
    }

    @Test
    void aTargetThatDrawsItselfIsPicturedByItsDrawings(@TempDir Path dir) throws Exception {
        Pretrainer.start(recipe(new DrawnSquares()), config(), TinyRuns.data(16), dir).run();

        assertThat(pictures(dir)).hasSize(2);
        BufferedImage picture = ImageIO.read(pictures(dir).get(0).toFile());
        int panel = (picture.getWidth() - 10) / 4; // four panels, five gaps of 2 pixels
        for (int x = 2 + 2 * (panel + 2); x < picture.getWidth() - 2; x++) {
            int rgb = picture.getRGB(x, 2 + panel / 2);
            assertThat(rgb & 0xFF).as("the drawings are grey, at x %d", x).isEqualTo((rgb >> 8) & 0xFF)
                    .isEqualTo((rgb >> 16) & 0xFF);
        }
    }

    @Test
    void pixelsArePictured(@TempDir Path dir) throws Exception {
        Pretrainer.start(recipe(Target.pixels()), config(), TinyRuns.data(16), dir).run();
        assertThat(pictures(dir)).hasSize(2);
    }

    private static MimRecipe recipe(Target target) {
        return MimRecipe.mae(TinyRuns.VIT).toBuilder().decoder(Decoder.transformer(16, 1, 2)).target(target).build();
    }

    private static TrainConfig config() {
        return TinyRuns.config(2).toBuilder().picturesEveryEpochs(1).build();
    }

    private static java.util.List<Path> pictures(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("reconstruction-")).toList();
        }
    }
}
