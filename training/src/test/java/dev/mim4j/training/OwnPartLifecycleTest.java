package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.randn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.part.NormPart;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.parts.NormModule;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part written in test code, an RMSNorm for every norm of the backbone, taken through everything a
 * built-in part goes through: JSON, compile, forward and backward, a checkpoint, and an exact resume.
 */
class OwnPartLifecycleTest {

    /** Root-mean-square normalisation with a learned scale and no shift (Zhang and Sennrich, 2019). */
    public record RmsNorm(double eps) implements NormPart {
        @Override
        public String describe() {
            return "rms norm eps " + eps;
        }
    }

    /** The compiled {@link RmsNorm}: {@code x / sqrt(mean(x^2) + eps) * weight}. */
    static final class RmsNormModule extends NormModule {
        private final double eps;
        private final Tensor weight;

        RmsNormModule(RmsNorm part, int width) {
            eps = part.eps();
            weight = parameter("weight", ones(width));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor meanSquare = x.square().mean(new long[] {-1}, true, new ScalarTypeOptional());
            return x.mul(meanSquare.add(new Scalar(eps)).rsqrt()).mul(weight);
        }
    }

    private static final MimRecipe RECIPE = MimRecipe.mae(TinyRuns.VIT.toBuilder().norm(new RmsNorm(1e-6)).build())
            .toBuilder().decoder(Decoder.transformer(16, 1, 2)).build();

    @BeforeAll
    static void register() {
        SpecJson.register(NormPart.class, "rmsNorm", RmsNorm.class);
        Compilers.norm(RmsNorm.class, RmsNormModule::new);
    }

    @Test
    void theRecipeReadsBackFromJsonWithThePart() {
        String json = SpecJson.toJson(RECIPE);

        assertThat(json).contains("\"type\": \"rmsNorm\"");
        assertThat(SpecJson.fromJson(json, MimRecipe.class)).isEqualTo(RECIPE);
    }

    @Test
    void itCompilesIntoEveryNormAndLearns() {
        MimModel model = MimModel.compile(RECIPE);
        Map<String, Tensor> state = StateDict.of(model);
        assertThat(state).containsKeys("encoder.blocks.0.norm1.weight", "encoder.blocks.1.norm2.weight",
                "encoder.norm.weight").doesNotContainKeys("encoder.blocks.0.norm1.bias", "encoder.norm.bias");
        try (PointerScope scope = new PointerScope()) {
            Tensor loss = model.forward(randn(4, 3, 16, 16), new SplittableRandom(1)).loss();
            loss.backward();
            assertThat(loss.item_double()).isFinite();
            assertThat(state.get("encoder.blocks.0.norm1.weight").grad().abs().sum().item_double())
                    .as("gradient reaching the part's own parameter").isPositive();
        }
    }

    @Test
    void aRunWithThePartResumesExactlyFromItsCheckpoint(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(2).toBuilder().checkpointEverySteps(3).keepCheckpoints(5).build();
        List<Double> whole = new ArrayList<>();
        Pretrainer.start(RECIPE, config, TinyRuns.data(32), dir.resolve("whole"))
                .listener(TinyRuns.stepLosses(whole, -1)).run();
        assertThat(whole).hasSize(8);

        Path broken = dir.resolve("broken");
        List<Double> first = new ArrayList<>();
        assertThatThrownBy(() -> Pretrainer.start(RECIPE, config, TinyRuns.data(32), broken)
                .listener(TinyRuns.stepLosses(first, 5))
                .run()).hasMessage("simulated crash at step 5");
        CheckpointState saved = Checkpoints.readState(broken);
        assertThat(saved.recipe()).isEqualTo(RECIPE);
        assertThat(saved.step()).as("the checkpoint at the end of epoch 1, after the one at step 3").isEqualTo(4);

        List<Double> rest = new ArrayList<>();
        Pretrainer.resume(broken, TinyRuns.data(32), broken)
                .listener(TinyRuns.stepLosses(rest, -1)).run();
        List<Double> stitched = new ArrayList<>(first.subList(0, 4));
        stitched.addAll(rest);
        assertThat(stitched).containsExactlyElementsOf(whole);
    }
}
