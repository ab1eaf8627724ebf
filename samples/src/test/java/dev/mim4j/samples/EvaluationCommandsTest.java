package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.concat;
import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import dev.mim4j.models.Tensors;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.training.eval.Features;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The evaluation commands as a user meets them, on a tiny IDX dataset of horizontal and vertical stripes. */
class EvaluationCommandsTest {

    @TempDir
    static Path dir;
    static Path images;
    static Path labels;

    @BeforeAll
    static void writeStripes() throws IOException {
        images = dir.resolve("stripes-images-idx3-ubyte");
        labels = dir.resolve("stripes-labels-idx1-ubyte");
        StripeImages.write(images, labels);
    }

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"knn", "linprobe", "features"})
    void everyEvaluationCommandHasHelp(String command) {
        CommandRun run = run(command, "--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Usage: mim4j " + command, "--checkpoint", "--pixels");
    }

    @Test
    void knnOnRawPixelsSplitsOneDatasetAndPrintsOneJsonLine() {
        CommandRun run = run("knn", "--pixels", "--train-data", images.toString(), "--train-labels", labels.toString(),
                "--split", "0.5", "--k", "3");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().strip()).startsWith("{\"command\":\"knn\",\"top1\":1.0,").contains("\"k\":3",
                "\"temperature\":0.07", "\"classes\":2", "\"train_images\":20", "\"test_images\":20",
                "\"features\":\"pixels\"", "\"width\":64", "\"seconds\":");
    }

    @Test
    void knnCanTakeTheFeaturesOfAnEarlierBlock() {
        String[] data = {"--train-data", images.toString(), "--train-labels", labels.toString(), "--split", "0.5",
            "--k", "3"};
        CommandRun run = run(concat(new String[] {"knn", "--random-init", "--pooling", "mean", "--block", "2"}, data));
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"block\":2", "\"width\":128");

        CommandRun tooDeep = run(concat(new String[] {"knn", "--random-init", "--block", "7"}, data));
        assertThat(tooDeep.code()).isEqualTo(2);
        assertThat(tooDeep.err().strip()).startsWith("mim4j knn: features after block 7: the encoder (")
                .endsWith(") has blocks 1 to 6");
        CommandRun pixels = run(concat(new String[] {"knn", "--pixels", "--block", "2"}, data));
        assertThat(pixels.err().strip()).isEqualTo("mim4j knn: --block 2 goes with --checkpoint or --random-init,"
                + " not --pixels");
    }


    @Test
    void linprobeOnRawPixelsPrintsEachEpochThenTheResult() {
        CommandRun run = run("linprobe", "--pixels", "--train-data", images.toString(), "--train-labels",
                labels.toString(),
                "--test-data", images.toString(), "--test-labels", labels.toString(), "--epochs", "20", "--batch", "8",
                "--lr", "20");
        assertThat(run.code()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(21);
        assertThat(lines[0]).startsWith("epoch 1/20: train loss ").contains(", test top-1 ");
        assertThat(lines[20]).startsWith("{\"command\":\"linprobe\",\"top1\":1.0,").contains("\"epochs\":20",
                "\"batch\":8", "\"base_lr\":20.0", "\"lr\":0.625", "\"train_images\":40", "\"test_images\":40");
    }

    @Test
    void featuresWritesAFileThatLoads() throws IOException {
        Path output = dir.resolve("pixels.safetensors");
        CommandRun run = run("features", "--pixels", "--data", images.toString(), "--labels", labels.toString(),
                "--output", output.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"command\":\"features\"", "\"images\":40", "\"width\":64");
        try (Features features = Features.load(output)) {
            assertThat(Tensors.shape(features.values())).containsExactly(40, 64);
            assertThat(features.classCount()).isEqualTo(2);
        }
    }

    @Test
    void featuresRecordTheirSourceAndBlockInTheFile() throws IOException {
        Path output = dir.resolve("block2.safetensors");
        CommandRun run = run("features", "--random-init", "--pooling", "mean", "--block", "2", "--data",
                images.toString(), "--labels", labels.toString(), "--output", output.toString());
        assertThat(run.code()).as(run.err()).isZero();
        try (SafetensorsFile file = SafetensorsFile.open(output)) {
            assertThat(file.metadata()).containsEntry("block", "2").containsEntry("pooling", "mean")
                    .containsKeys("features", "data");
            assertThat(file.metadata().get("features")).startsWith("random init ");
        }
    }

    @Test
    void mistakesAreOneSentenceAndExitCodeTwo() {
        CommandRun none = run("knn");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("mim4j knn: choose the features with exactly one of --checkpoint,"
                + " --random-init and --pixels");
        CommandRun unlabelled = run("knn", "--pixels", "--train-data", images.toString(), "--k", "3");
        assertThat(unlabelled.err().strip()).isEqualTo("mim4j knn: the train features have unlabelled images (label -1"
                + " at row 0); kNN and the linear probe need a labelled dataset");
        CommandRun both = run("linprobe", "--pixels", "--train-data", images.toString(), "--test-data",
                images.toString(), "--split", "0.5");
        assertThat(both.err().strip()).isEqualTo("mim4j linprobe: --split 0.5 divides a single dataset; it does not go"
                + " with --test-data");
        CommandRun tooMany = run("knn", "--pixels", "--train-data", images.toString(), "--train-labels",
                labels.toString(), "--k", "33");
        assertThat(tooMany.err().strip()).isEqualTo("mim4j knn: kNN k 33 must be between 1 and the 32 train images");
        CommandRun missing = run("knn", "--pixels", "--test-data", dir.resolve("nothing").toString());
        assertThat(missing.err().strip()).isEqualTo("mim4j knn: " + dir.resolve("nothing")
                + ": no such file or folder (--test-data)");
    }
}
