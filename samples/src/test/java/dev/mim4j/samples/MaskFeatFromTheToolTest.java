package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import dev.mim4j.training.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MaskFeat, a recipe made in the samples of a target, a decoder and a preset of one's own, as a user of the tool
 * meets it: listed by --help, pre-trained by {@code pretrain --recipe maskfeat} (pictured as HOG glyphs), resumed
 * with its preset, and its checkpoint evaluated by {@code knn} in a new JVM that registers nothing by hand.
 */
class MaskFeatFromTheToolTest {

    @Test
    void theToolListsTheMaskFeatPresetBesideTheBuiltInOnes() {
        CommandRun help = run("pretrain", "--help");

        assertThat(help.out().replaceAll("\\s+", " ")).contains("one of mae, maskfeat, simmim");
    }

    @Test
    void maskFeatIsPreTrainedResumedAndEvaluatedFromTheToolAlone(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("stripes-images-idx3-ubyte");
        Path labels = dir.resolve("stripes-labels-idx1-ubyte");
        StripeImages.write(images, labels);
        Path backbone = Files.writeString(dir.resolve("vit.json"), SpecJson.toJson(
                ViT.builder().image(8, 8, 1).patchSize(2).width(16).depth(2).heads(2).build()));
        Path run = dir.resolve("run");
        String[] data = {"--data", images.toString(), "--labels", labels.toString(), "--batch", "8"};

        CommandRun pretrain = run(CommandRun.concat(new String[] {"pretrain", "--recipe", "maskfeat", "--spec",
                backbone.toString(), "--epochs", "1", "--output", run.toString()}, data));
        assertThat(pretrain.code()).as(pretrain.err()).isZero();
        assertThat(pretrain.out()).contains("HOG (9 bins, 1-pixel cells)").contains("linear head");
        assertThat(Checkpoints.readPresetName(run)).contains("maskfeat");
        assertThat(run.resolve("reconstruction-epoch0001.png")).as("HOG drawn as glyphs").isNotEmptyFile();

        CommandRun resumed = run(CommandRun.concat(new String[] {"pretrain", "--resume", run.toString(), "--epochs",
                "2"}, data));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(Checkpoints.readPresetName(run)).contains("maskfeat");

        CommandRun knn = CommandRun.inNewJvm("knn", "--checkpoint", run.toString(), "--train-data",
                images.toString(), "--train-labels", labels.toString(), "--split", "0.5", "--k", "3");
        assertThat(knn.code()).as(knn.out()).isZero();
        assertThat(knn.out()).contains("\"command\":\"knn\"");
        CommandRun probe = run("linprobe", "--checkpoint", run.toString(), "--train-data", images.toString(),
                "--train-labels", labels.toString(), "--split", "0.5", "--epochs", "2");
        assertThat(probe.code()).as(probe.err()).isZero();
        assertThat(probe.out()).contains("\"command\":\"linprobe\"");
        Path picture = dir.resolve("glyphs.png");
        CommandRun reconstruct = run("reconstruct", "--checkpoint", run.toString(), "--data", images.toString(),
                "--labels", labels.toString(), "--output", picture.toString());
        assertThat(reconstruct.code()).as(reconstruct.err()).isZero();
        assertThat(picture).isNotEmptyFile();
    }
}
