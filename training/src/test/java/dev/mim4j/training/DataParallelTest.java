package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mim4j.models.weights.SafetensorsWeights;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Data parallelism as a user runs it: separate JVMs, each a {@link DataParallelRank} that joins its world from
 * torchrun's environment variables, over Gloo on the loopback.
 */
@Timeout(300) // a child that hangs is killed in afterEach; the suite never waits on it
class DataParallelTest {

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killTheChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts rank {@code rank} of 2; its standard error goes to {@code <output>/rank<N>.err}. */
    private Process rank(int rank, int port, Path output, int batch, int accumulation, int epochs,
            int timeoutSeconds) throws IOException {
        Files.createDirectories(output);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DataParallelRank.class.getName(), output.toString(),
                String.valueOf(batch), String.valueOf(accumulation), String.valueOf(epochs),
                String.valueOf(timeoutSeconds));
        Map<String, String> environment = builder.environment();
        environment.put("RANK", String.valueOf(rank));
        environment.put("LOCAL_RANK", String.valueOf(rank));
        environment.put("WORLD_SIZE", "2");
        environment.put("MASTER_ADDR", "127.0.0.1");
        environment.put("MASTER_PORT", String.valueOf(port));
        environment.put("OPENBLAS_NUM_THREADS", "1"); // one core each, as the launcher splits them
        environment.put("OMP_WAIT_POLICY", "PASSIVE");
        builder.redirectError(output.resolve("rank" + rank + ".err").toFile());
        builder.redirectOutput(rank == 0 ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        children.add(process);
        return process;
    }

    private static String errors(Path output, int rank) throws IOException {
        return Files.readString(output.resolve("rank" + rank + ".err"));
    }

    /** Two processes at batch 4, and two that accumulate two micro-batches of 2: 8 images a step, as one process. */
    @ParameterizedTest(name = "2 processes x batch {0} x accumulation {1}")
    @CsvSource({"4, 1", "2, 2"})
    void twoProcessesAtHalfTheBatchTrainAsOneProcessAtTheWholeBatch(int batch, int accumulation, @TempDir Path dir)
            throws Exception {
        int port = freePort();
        Path two = dir.resolve("two");
        Process first = rank(0, port, two, batch, accumulation, 1, 60);
        Process second = rank(1, port, two, batch, accumulation, 1, 60);
        Path one = dir.resolve("one");
        RunSummary alone = DataParallelRank.run(one, 8, 1, 1, Duration.ofSeconds(60));
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(errors(two, 0)).isZero();
        assertThat(second.exitValue()).as(errors(two, 1)).isZero();
        assertThat(alone.steps()).isEqualTo(5); // 40 images, 8 a step: 5 AdamW steps

        // rank 0 alone wrote the checkpoint; the parameters after 5 steps are those of the run at the whole batch
        try (SafetensorsWeights together = SafetensorsWeights.open(Checkpoints.path(two, 5));
                SafetensorsWeights single = SafetensorsWeights.open(Checkpoints.path(one, 5));
                PointerScope scope = new PointerScope()) {
            List<String> parameters = single.names().stream().filter(n -> n.startsWith(Checkpoints.MODEL)).toList();
            assertThat(together.names()).containsAll(parameters);
            assertThat(parameters).hasSizeGreaterThan(20);
            for (String name : parameters) {
                Tensor expected = single.read(name);
                Tensor actual = together.read(name);
                if (!name.endsWith("attn.qkv.bias")) {
                    assertThat(relativeDifference(actual, expected)).as(name).isLessThan(1e-6);
                    continue;
                }
                // The key bias has no gradient in exact arithmetic (softmax ignores what it adds to every key of a
                // query alike), so what it gets is rounding noise, which AdamW scales up to a step of the rate's
                // size, in any implementation: the queries' and values' biases agree, the keys' stay within the
                // steps' rates.
                long width = expected.size(0) / 3;
                assertThat(relativeDifference(actual.narrow(0, 0, width), expected.narrow(0, 0, width)))
                        .as(name + " (queries)").isLessThan(1e-6);
                assertThat(relativeDifference(actual.narrow(0, 2 * width, width), expected.narrow(0, 2 * width,
                        width))).as(name + " (values)").isLessThan(1e-6);
                double peakRate = TinyRuns.config(1).peakLearningRate();
                assertThat(actual.narrow(0, width, width).sub(expected.narrow(0, width, width)).abs().max()
                        .item_double()).as(name + " (keys)").isLessThan(5 * 2 * peakRate);
            }
        }
    }

    @Test
    void aRunOfTwoProcessesGoesOnInOneFromItsEpochsEndAtTheNextEpochsFirstImage(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path two = dir.resolve("two");
        Process first = rank(0, port, two, 4, 1, 1, 60);
        Process second = rank(1, port, two, 4, 1, 1, 60);
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(errors(two, 0)).isZero();

        // one process at batch 4 reads the 40 images in 10 steps an epoch: the second epoch is all of them
        TrainConfig longer = TinyRuns.config(2).toBuilder().batchSize(4).build();
        RunSummary resumed = Pretrainer.resume(two, TinyRuns.data(DataParallelRank.IMAGES), two).config(longer)
                .masks(DataParallelRank::sameMaskForEveryImage).machine(new MachineSettings("cpu", 1, 1)).run();
        assertThat(resumed.steps()).isEqualTo(5 + 10);
    }

    /** The norm of the difference over the norm of {@code expected}. */
    private static double relativeDifference(Tensor actual, Tensor expected) {
        return actual.sub(expected).norm().item_double() / Math.max(1e-12, expected.norm().item_double());
    }

    /**
     * Rank 0's standard error after rank 1 gets {@code signal} at step 3 (KILL: it dies; STOP: it hangs), once rank 0
     * has exited 1 within {@code bound}; the run folder holds whole checkpoints only.
     */
    private String rankZeroAfterRankOne(Path output, String signal, Duration bound) throws Exception {
        int port = freePort();
        Process first = rank(0, port, output, 4, 1, 100, 10);
        Process second = rank(1, port, output, 4, 1, 100, 10);
        try (BufferedReader steps = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = steps.readLine();
                assertThat(line).as("rank 0 ended before step 3: " + errors(output, 0)).isNotNull();
            } while (!line.equals("step 3"));
            new ProcessBuilder("kill", "-" + signal, String.valueOf(second.pid())).inheritIO().start().waitFor();
            long signalled = System.nanoTime();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(bound);
            assertThat(first.exitValue()).isEqualTo(1);
        }
        try (var files = Files.list(output)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        return errors(output, 0);
    }

    @Test
    void whenOneRankIsKilledTheOtherStopsAtOnceNamingItselfAndTheStep(@TempDir Path dir) throws Exception {
        assertThat(rankZeroAfterRankOne(dir.resolve("run"), "KILL", Duration.ofSeconds(10)))
                .startsWith("step ").contains(" of 500, epoch ").contains(": rank 0 of 2: ")
                .contains("failed; another rank has died or left");
    }

    @Test
    void whenOneRankHangsTheOtherStopsWithinTheTimeoutNamingItselfAndTheStep(@TempDir Path dir) throws Exception {
        assertThat(rankZeroAfterRankOne(dir.resolve("run"), "STOP", Duration.ofSeconds(10 + 10)))
                .startsWith("step ").contains(" of 500, epoch ").contains(": rank 0 of 2: ")
                .contains("did not finish within 10 s; another rank has died or hangs");
    }
}
