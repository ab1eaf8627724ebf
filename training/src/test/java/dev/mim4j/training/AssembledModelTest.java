package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.mim.Objective;
import dev.mim4j.training.finetune.ClassifierPooling;
import dev.mim4j.training.finetune.FineTuneConfig;
import dev.mim4j.training.finetune.FineTuner;
import dev.mim4j.training.finetune.Mixup;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models and encoders built by hand, without a recipe, go through the same loop as compiled ones. */
class AssembledModelTest {

    /** The same model every time: its weights are drawn from a fixed seed, as a compiled recipe's are from the run's. */
    private static MimModel assemble() {
        torch.manual_seed(5);
        ViT vit = TinyRuns.VIT;
        return MimModel.assemble(VisionTransformer.compile(vit, MaskedTokens.DROP),
                Compilers.decoder(Decoder.transformer(16, 1, 2), vit, MaskedTokens.DROP, vit.patchDim()),
                Objective.of(Target.pixels().normalizedPerPatch(), Loss.mse(), vit), Masking.randomPatches(0.75),
                MaskedTokens.DROP);
    }

    @Test
    void anAssembledModelPretrainsAndResumesExactlyIntoOneAssembledAlike(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(2).toBuilder().checkpointEverySteps(3).keepCheckpoints(5).build();
        List<Double> whole = new ArrayList<>();
        Pretrainer.start(assemble(), config, TinyRuns.data(32), dir.resolve("whole"))
                .listener(TinyRuns.stepLosses(whole, -1)).run();

        Path broken = dir.resolve("broken");
        List<Double> first = new ArrayList<>();
        assertThatThrownBy(() -> Pretrainer.start(assemble(), config, TinyRuns.data(32), broken)
                .listener(TinyRuns.stepLosses(first, 4)).run()).hasMessage("simulated crash at step 4");
        assertThat(Checkpoints.metadata(broken)).as("no recipe to record").doesNotContainKey("mim4j.recipe");

        List<Double> rest = new ArrayList<>();
        Pretrainer.resume(broken, assemble(), TinyRuns.data(32), broken)
                .listener(TinyRuns.stepLosses(rest, -1)).run();
        List<Double> stitched = new ArrayList<>(first.subList(0, 3));
        stitched.addAll(rest);
        assertThat(stitched).containsExactlyElementsOf(whole);
    }

    @Test
    void anEncoderBuiltByHandFineTunes(@TempDir Path dir) throws Exception {
        FineTuneConfig config = new FineTuneConfig(2, 8, 5e-3, 1e-6, 0, 0.05, 0.75, 0.0, Mixup.none(0.1),
                ClassifierPooling.MEAN, 4, 2);
        double accuracy = FineTuner.start(VisionTransformer.compile(TinyRuns.VIT), 10, config, TinyRuns.data(64),
                TinyRuns.data(32).dataset(), dir).run();

        assertThat(accuracy).isBetween(0.0, 1.0);
        assertThat(Checkpoints.latest(dir)).isPresent();
    }
}
