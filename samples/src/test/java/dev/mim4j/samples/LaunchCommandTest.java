package dev.mim4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mim4j.training.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mim4j launch} as a user runs it: two processes pre-train the demo, SIGTERM to the launcher stops both
 * after the step under way with rank 0's checkpoint of it, and one process goes on from there.
 */
class LaunchCommandTest {

    @TempDir
    Path dir;

    @Test
    void sigtermToTheLauncherStopsEveryProcessSavedAndOneProcessGoesOn() throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("log");
        Process launcher = CommandRun.startInNewJvm(List.of(), log, "launch", "--nproc", "2", "pretrain", "--epochs",
                "1", "--batch", "128", "--output", run.toString());
        try {
            StopSignalsTest.waitForMetricsOfStep(run.resolve("metrics.jsonl"), 2, launcher);
            new ProcessBuilder("kill", "-TERM", String.valueOf(launcher.pid())).inheritIO().start().waitFor();
            assertThat(launcher.waitFor(120, TimeUnit.SECONDS)).as("the launcher ended after SIGTERM").isTrue();
        } finally {
            launcher.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(launcher.exitValue()).as(out).isEqualTo(143);
        assertThat(out).contains("launch: SIGTERM: every process finishes the step under way and rank 0 saves it")
                .contains("batch 128 x 1 x 2 processes = 256, lr 0.000150").doesNotContain("\tat ");
        // rank 0 says where the run stopped and how to go on; it wrote that step, and the others said nothing
        Matcher stopped = Pattern.compile("stopped by SIGTERM after step (\\d+) of 39; .* continue with: mim4j launch"
                + " --nproc 2 pretrain --resume " + Pattern.quote(run.toAbsolutePath().toString())).matcher(out);
        assertThat(stopped.find()).as(out).isTrue();
        long step = Long.parseLong(stopped.group(1));
        assertThat(stopped.find()).as(out).isFalse();
        Checkpoints.verify(Checkpoints.path(run, step));
        assertThat(Checkpoints.readPosition(run).step()).isEqualTo(step);

        CommandRun resumed = CommandRun.inNewJvm("pretrain", "--resume", run.toString());
        assertThat(resumed.code()).as(resumed.out()).isZero();
        // at batch 128 in one process, each step now takes half the images, and the epoch has 78 steps
        assertThat(resumed.out()).containsOnlyOnce("info: resumed in 1 process after a run in 2 processes: epoch 1"
                + " goes on from image " + step * 256 + " of its order, up to which all 2 processes had read; from"
                + " there on each epoch's order is dealt out to 1 process in turn, 128 images a step");
        assertThat(Checkpoints.readPosition(run).nextMicroBatch()).isEqualTo(78);
    }

    @Test
    void launchRunsOnlyTheCommandsThatTrain() {
        CommandRun refused = CommandRun.run("launch", "--nproc", "2", "knn", "--checkpoint", "x");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("launch runs finetune or pretrain in parallel, not 'knn'");
    }
}
