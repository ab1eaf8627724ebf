package dev.mim4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * SIGTERM (what SLURM and Kubernetes send before they kill) and SIGINT (Ctrl-C) sent to {@code pretrain} on the
 * demo data: the step under way is finished and saved, the tool exits as a process ended by the signal does, and
 * says how to go on; going on finishes the run.
 */
class StopSignalsTest {

    @TempDir
    Path dir;

    @Test
    void sigtermSavesTheStepUnderWayAndTheRunGoesOnFromIt() throws Exception {
        Path run = dir.resolve("run");
        long stoppedAt = stopAfterTwoSteps(run, "TERM", 143);

        CommandRun resumed = CommandRun.run("pretrain", "--resume", run.toString());

        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("(last checkpoint checkpoint-00000039.safetensors");
        assertThat(Checkpoints.readPosition(run).step()).isGreaterThan(stoppedAt);
    }

    @Test
    void sigintStopsTheSameWayWithItsOwnStatus() throws Exception {
        stopAfterTwoSteps(dir.resolve("run"), "INT", 130);
    }

    /** Runs one epoch of the demo (39 steps), sends {@code signal} once two steps are done; the step saved. */
    private long stopAfterTwoSteps(Path run, String signal, int status) throws Exception {
        Path log = dir.resolve("log");
        Process process = CommandRun.startInNewJvm(List.of(), log, "pretrain", "--epochs", "1", "--output",
                run.toString());
        try {
            waitForMetricsOfStep(run.resolve("metrics.jsonl"), 2, process);
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("ended after SIG%s", signal).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isEqualTo(status);
        assertThat(out).contains("SIG" + signal + ": finishing the step under way and saving it; send it again to"
                + " stop at once").doesNotContain("\tat ");
        Matcher stopped = Pattern.compile("stopped by SIG" + signal + " after step (\\d+) of 39; (\\S+) holds the run up"
                + " to there; continue with: mim4j pretrain --resume " + Pattern.quote(run.toAbsolutePath().toString()))
                .matcher(out);
        assertThat(stopped.find()).as(out).isTrue();
        long step = Long.parseLong(stopped.group(1));
        assertThat(step).isBetween(2L, 38L);
        assertThat(Path.of(stopped.group(2))).isEqualTo(Checkpoints.path(run, step));
        Checkpoints.verify(Checkpoints.path(run, step));
        assertThat(Checkpoints.readPosition(run).step()).isEqualTo(step);
        return step;
    }

    /** Returns once {@code metrics} holds step {@code step}; fails after 120 s or when the process ends first. */
    static void waitForMetricsOfStep(Path metrics, int step, Process process)
            throws IOException, InterruptedException {
        Pattern line = Pattern.compile("\"step\": " + step + ",");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(metrics) && line.matcher(Files.readString(metrics)).find()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the run did not reach step " + step + " (alive: " + process.isAlive() + ")");
    }
}
