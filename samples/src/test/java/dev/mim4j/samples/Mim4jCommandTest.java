package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.training.StepBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command-line tool as a user meets it: help, a short demo run, a resume, and mistakes. */
class Mim4jCommandTest {

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"pretrain", "summary", "bench", "bench-loader", "bench-matmul", "reconstruct", "avgdist",
        "plot", "finetune", "sweep"})
    void everyCommandHasHelp(String command) {
        CommandRun run = run(command, "--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Usage: mim4j " + command);
    }

    @Test
    void aShortDemoRunLeavesACheckpointMetricsAndAPictureAndResumes(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("run");
        CommandRun run = run("pretrain", "--epochs", "2", "--batch", "512", "--output", output.toString(),
                "--checkpoint-every", "19", "--keep", "5");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("output folder: " + output.toAbsolutePath(), "done: 38 steps");
        assertThat(output.resolve("checkpoint-00000038.safetensors")).exists();
        assertThat(output.resolve("reconstruction-epoch0002.png")).exists();
        try (Stream<String> lines = Files.lines(output.resolve("metrics.jsonl"))) {
            assertThat(lines.filter(l -> l.contains("\"event\": \"step\"")).count()).isEqualTo(38);
        }
        Files.delete(output.resolve("checkpoint-00000038.safetensors"));
        CommandRun resumed = run("pretrain", "--resume", output.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("done: 38 steps");
        assertThat(output.resolve("checkpoint-00000038.safetensors")).exists();
    }

    @Test
    void aSimMimSpecTrainsWithSimMimSettingsAndTheKnnMonitorReportsEachEpoch(@TempDir Path dir) throws Exception {
        ViT vit = ViT.builder().image(28, 28, 1).patchSize(7).width(32).depth(1).heads(2).build();
        Path spec = dir.resolve("simmim.json");
        Files.writeString(spec, SpecJson.toJson(MimRecipe.simmimBuilder(vit).masking(Masking.blocks(7, 0.6)).build()));
        Path output = dir.resolve("run");
        CommandRun run = run("pretrain", "--recipe", "simmim", "--spec", spec.toString(), "--epochs", "2", "--batch",
                "512", "--knn-every", "1", "--pictures-every", "0", "--output", output.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).as("SimMIM's rate is per 512 images").contains("per 512)")
                .containsPattern("epoch 1: knn_top1 0\\.\\d{4}").containsPattern("epoch 2: knn_top1 0\\.\\d{4}");
        try (Stream<String> lines = Files.lines(output.resolve("metrics.jsonl"))) {
            assertThat(lines.filter(l -> l.contains("\"metric\": \"knn_top1\"")).count()).isEqualTo(2);
        }
    }

    @Test
    void theKnnMonitorNeedsLabelsAndAPeriod(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("images-idx3-ubyte");
        StripeImages.write(images, dir.resolve("labels-idx1-ubyte"));
        CommandRun unlabelled = run("pretrain", "--data", images.toString(), "--model", "Ti/4", "--batch", "8",
                "--knn-every", "1", "--output", dir.resolve("run").toString());
        assertThat(unlabelled.code()).isEqualTo(2);
        assertThat(unlabelled.err()).contains("the kNN monitor's memory bank (", "has no labels");
        CommandRun negative = run("pretrain", "--knn-every", "-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("--knn-every -1 must be 0 (none) or a number of epochs");
    }

    @Test
    void mistakesAreOneSentenceAndExitCodeTwo(@TempDir Path dir) {
        CommandRun missing = run("pretrain", "--data", dir.resolve("nothing-here").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("mim4j pretrain: " + dir.resolve("nothing-here")
                + ": no such file or folder (--data)");
        CommandRun badPatch = run("summary", "--model", "B/16", "--image", "225x224x3");
        assertThat(badPatch.code()).isEqualTo(2);
        assertThat(badPatch.err()).contains("image height 225 is not a multiple of patch size 16");
        CommandRun badResume = run("pretrain", "--resume", dir.toString());
        assertThat(badResume.err()).contains("holds no checkpoint-NNNNNNNN.safetensors");
    }

    @Test
    void maskOptionsOverrideTheMaskingOfASpec(@TempDir Path dir) throws Exception {
        ViT vit = ViT.builder().image(28, 28, 1).patchSize(7).width(32).depth(1).heads(2).build();
        Path spec = dir.resolve("simmim.json");
        Files.writeString(spec, SpecJson.toJson(MimRecipe.simmimBuilder(vit).masking(Masking.blocks(7, 0.6)).build()));

        CommandRun run = run("avgdist", "--spec", spec.toString(), "--image", "28x28x1", "--mask-patch", "14",
                "--mask-ratio", "0.5", "--samples", "10");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"masking\": \"14x14 blocks 0.5\"");
        CommandRun mae = run("avgdist", "--recipe", "mae", "--image", "28x28x1", "--mask-patch", "14");
        assertThat(mae.code()).isEqualTo(2);
        assertThat(mae.err().strip()).isEqualTo("mim4j avgdist: --mask-patch 14: masking random patches 0.75 has no"
                + " mask blocks to set to 14 pixels; SimMIM's block masking has them");
        CommandRun zero = run("avgdist", "--recipe", "simmim", "--image", "28x28x1", "--mask-patch", "0");
        assertThat(zero.err().strip()).as("a bad size for block masking is named as such")
                .isEqualTo("mim4j avgdist: --mask-patch 0: mask patch 0 must be at least 1");
    }

    @Test
    void benchPrintsTheReferenceFields() {
        CommandRun run = run("bench", "mae", "tiny32", "--batch", "2", "--steps", "1");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().strip()).startsWith("{\"impl\": \"mim4j-").contains("\"recipe\": \"mae\"",
                "\"config\": \"tiny32\"", "\"median_s\":", "\"min_s\":", "\"img_per_s\":", "\"loss\":",
                "\"peak_rss_mb\":", "\"phases_median_s\": {\"masking\": ", "\"forward\": ", "\"backward\": ",
                "\"optimizer\": ");
        assertThat(BenchCommand.table(new StepBenchmark.Phases(0.001, 0.05, 0.1, 0.049), 0.2)).isEqualTo(String.join(
                System.lineSeparator(), "phase        median s   of the step", "masking       0.00100          0.5%",
                "forward       0.05000         25.0%", "backward      0.10000         50.0%",
                "optimizer     0.04900         24.5%", "step          0.20000"));
    }
}
