package dev.mim4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A two-ratio sweep on tiny data writes one result line per ratio and the plot. */
class SweepCommandTest {

    @Test
    void writesOneLinePerRatioAndThePlot(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("stripes-images-idx3-ubyte");
        Path labels = dir.resolve("stripes-labels-idx1-ubyte");
        StripeImages.write(images, labels);
        Path output = dir.resolve("sweep");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Mim4j.commandLine().execute("sweep", "--train-data", images.toString(), "--train-labels",
                    labels.toString(), "--ratios", "0.25,0.5", "--epochs", "1", "--batch", "8", "--probe-epochs", "2",
                    "--output", output.toString());
        } finally {
            System.setOut(original);
        }
        assertThat(code).as(captured.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = Files.readAllLines(output.resolve("sweep.jsonl"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"mask_ratio\": 0.2500, \"linprobe_top1\": ");
        assertThat(lines.get(1)).startsWith("{\"mask_ratio\": 0.5000, ").contains("\"knn_top1\": ");
        assertThat(output.resolve("sweep.png")).exists();
        assertThat(output.resolve("ratio-0.50").resolve("checkpoint-00000004.safetensors")).exists();

        CommandRun again = CommandRun.run("sweep", "--train-data", images.toString(), "--train-labels",
                labels.toString(), "--ratios", "0.75", "--epochs", "1", "--output", output.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("mim4j sweep: --output " + output + " already holds a sweep"
                + " (sweep.jsonl), which this one would mix with or replace; choose another --output");
        assertThat(Files.readAllLines(output.resolve("sweep.jsonl"))).hasSize(2);
    }
}
