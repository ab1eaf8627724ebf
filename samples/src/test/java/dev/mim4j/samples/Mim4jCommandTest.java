package dev.mim4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command-line tool as a user meets it: help, a short demo run, a resume, and mistakes. */
class Mim4jCommandTest {

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"pretrain", "summary", "bench", "bench-loader", "reconstruct", "avgdist", "plot",
        "finetune", "sweep"})
    void everyCommandHasHelp(String command) {
        Run run = run(command, "--help");
        assertThat(run.code).isZero();
        assertThat(run.out).contains("Usage: mim4j " + command);
    }

    @Test
    void aShortDemoRunLeavesACheckpointMetricsAndAPictureAndResumes(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("run");
        Run run = run("pretrain", "--epochs", "2", "--batch", "512", "--output", output.toString(),
                "--checkpoint-every", "19", "--keep", "5");
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("output folder: " + output.toAbsolutePath(), "done: 38 steps");
        assertThat(output.resolve("checkpoint-00000038.safetensors")).exists();
        assertThat(output.resolve("reconstruction-epoch0002.png")).exists();
        try (Stream<String> lines = Files.lines(output.resolve("metrics.jsonl"))) {
            assertThat(lines.filter(l -> l.contains("\"event\": \"step\"")).count()).isEqualTo(38);
        }
        Files.delete(output.resolve("checkpoint-00000038.safetensors"));
        Run resumed = run("pretrain", "--resume", output.toString());
        assertThat(resumed.code).as(resumed.err).isZero();
        assertThat(resumed.out).contains("done: 38 steps");
        assertThat(output.resolve("checkpoint-00000038.safetensors")).exists();
    }

    @Test
    void mistakesAreOneSentenceAndExitCodeTwo(@TempDir Path dir) {
        Run missing = run("pretrain", "--data", dir.resolve("nothing-here").toString());
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err.strip()).isEqualTo("mim4j pretrain: " + dir.resolve("nothing-here")
                + ": no such file or folder (--data)");
        Run badPatch = run("summary", "--model", "B/16", "--image", "225x224x3");
        assertThat(badPatch.code).isEqualTo(2);
        assertThat(badPatch.err).contains("image height 225 is not a multiple of patch size 16");
        Run badResume = run("pretrain", "--resume", dir.toString());
        assertThat(badResume.err).contains("holds no checkpoint-NNNNNNNN.safetensors to resume from");
    }

    @Test
    void benchPrintsTheReferenceFields() {
        Run run = run("bench", "mae", "tiny32", "--batch", "2", "--steps", "1");
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out.strip()).startsWith("{\"impl\": \"mim4j-").contains("\"recipe\": \"mae\"",
                "\"config\": \"tiny32\"", "\"median_s\":", "\"min_s\":", "\"img_per_s\":", "\"loss\":",
                "\"peak_rss_mb\":");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CommandLine line = Mim4j.commandLine();
            line.setOut(new PrintWriter(out));
            line.setErr(new PrintWriter(err));
            int code = line.execute(args);
            return new Run(code, out + captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }
}
