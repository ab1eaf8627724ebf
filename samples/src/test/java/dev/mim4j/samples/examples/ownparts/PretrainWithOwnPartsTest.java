package dev.mim4j.samples.examples.ownparts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.training.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample with parts of its own, on 512 demo images: it learns, resumes exactly, and its encoder beats chance. */
class PretrainWithOwnPartsTest {

    @Test
    void partsDeclaredOutsideTheLibraryPretrainResumeAndEvaluate(@TempDir Path dir) throws Exception {
        PretrainWithOwnParts.Result result = PretrainWithOwnParts.run(dir, 512, 3);

        assertThat(result.losses()).hasSize(24);
        assertThat(result.losses().get(result.losses().size() - 1)).as("last loss").isLessThan(result.losses().get(0));
        assertThat(result.resumedFrom()).isEqualTo(12);
        assertThat(result.resumedLosses()).hasSize(12);
        assertThat(result.resumedExactly()).as("the resumed steps repeat the uninterrupted ones").isTrue();
        assertThat(result.knnTop1()).as("kNN top-1 over 10 classes").isGreaterThan(0.3);

        MimRecipe saved = Checkpoints.readState(result.lastCheckpoint()).recipe();
        assertThat(saved).as("the checkpoint's recipe reads back with the user's parts").isEqualTo(result.recipe());
        assertThat(SpecJson.toJson(saved)).contains("\"type\": \"example.centreBiased\"",
                "\"type\": \"example.swiglu\"");
        try (SafetensorsFile checkpoint = SafetensorsFile.open(result.lastCheckpoint())) {
            // SwiGLU's fc1 makes the gate and the value at once: 2 x 170 rows for width 64 at ratio 8/3
            assertThat(checkpoint.info("model.blocks.3.mlp.fc1.weight").orElseThrow().shape()).containsExactly(340L, 64L);
        }
    }

    @Test
    void theCentreIsMaskedMoreOftenThanTheCorners() {
        CentreBiasedMasking masking = new CentreBiasedMasking(0.5, 0.3);
        TokenGrid grid = new TokenGrid(7, 7, 4);
        SplittableRandom random = new SplittableRandom(5);
        int[] counts = new int[grid.tokens()];
        for (int i = 0; i < 2000; i++) {
            boolean[] mask = masking.sample(grid, random);
            int masked = 0;
            for (int t = 0; t < mask.length; t++) {
                counts[t] += mask[t] ? 1 : 0;
                masked += mask[t] ? 1 : 0;
            }
            assertThat(masked).isEqualTo(25);
        }
        assertThat(counts[24]).as("centre").isGreaterThan(1800);
        assertThat(counts[0]).as("corner").isLessThan(400);
    }
}
