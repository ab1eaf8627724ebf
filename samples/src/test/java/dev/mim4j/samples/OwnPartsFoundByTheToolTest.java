package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.compile.Parts;
import dev.mim4j.samples.examples.ownparts.CentreBiasedMasking;
import dev.mim4j.samples.examples.ownparts.SwiGluMlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts of one's own are found by the tool on its class path (through their PartProvider): a run of a recipe
 * made of them, then a kNN of its checkpoint in a new JVM that registers nothing by hand.
 */
class OwnPartsFoundByTheToolTest {

    @Test
    void aCheckpointHoldingOwnPartsIsReadByTheToolInANewJvm(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("stripes-images-idx3-ubyte");
        Path labels = dir.resolve("stripes-labels-idx1-ubyte");
        StripeImages.write(images, labels);
        ViT vit = ViT.builder().image(8, 8, 1).patchSize(2).width(16).depth(2).heads(2).mlp(new SwiGluMlp(8.0 / 3))
                .build();
        MimRecipe recipe = MimRecipe.mae(vit).toBuilder().masking(new CentreBiasedMasking(0.75, 0.5))
                .decoder(Decoder.transformer(16, 1, 2)).build();
        Parts.discover(); // SpecJson used directly: the providers are found first
        Path spec = Files.writeString(dir.resolve("recipe.json"), SpecJson.toJson(recipe));
        Path run = dir.resolve("run");
        CommandRun pretrain = run("pretrain", "--recipe", "mae", "--spec", spec.toString(), "--data", images.toString(), "--labels",
                labels.toString(), "--epochs", "1", "--batch", "8", "--pictures-every", "0", "--output", run.toString());
        assertThat(pretrain.code()).as(pretrain.err()).isZero();

        CommandRun knn = CommandRun.inNewJvm("knn", "--checkpoint", run.toString(), "--train-data",
                images.toString(), "--train-labels", labels.toString(), "--split", "0.5", "--k", "3");
        assertThat(knn.code()).as(knn.out()).isZero();
        assertThat(knn.out()).contains("\"command\":\"knn\"");
        assertThat(System.getProperty("java.class.path")).contains("samples" + File.separator + "target");
    }
}
