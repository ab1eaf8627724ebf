package dev.mim4j.training.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesTest {

    @TempDir
    Path directory;

    @Test
    void drawsTheLossOfEveryStepWithTheEpochMeans() throws IOException {
        Path png = directory.resolve("charts/loss.png");

        Curves.loss(run(), png);

        assertIsAChart(png);
        // written through a temporary file that gets a new file's permissions, not createTempFile's owner-only ones
        Path created = Files.createFile(directory.resolve("charts/new-file"));
        assertThat(Files.getPosixFilePermissions(png)).isEqualTo(Files.getPosixFilePermissions(created));
    }

    @Test
    void drawsTheLearningRate() throws IOException {
        Path png = directory.resolve("lr.png");

        Curves.learningRate(run(), png);

        assertIsAChart(png);
    }

    @Test
    void drawsAccuracyPerEpochForSeveralEvaluations() throws IOException {
        Path png = directory.resolve("accuracy.png");
        Map<String, List<Point>> series = new LinkedHashMap<>();
        series.put("linear probe", List.of(new Point(1, 0.31), new Point(2, 0.45), new Point(3, 0.52)));
        series.put("kNN", List.of(new Point(1, 0.28), new Point(2, 0.40), new Point(3, 0.47)));

        Curves.accuracy(series, "Evaluation", "epoch", png);

        assertIsAChart(png);
    }

    @Test
    void drawsASweepOverwritingAnEarlierPicture() throws IOException {
        Path png = directory.resolve("sweep.png");
        Files.writeString(png, "an older file");
        Map<String, List<Point>> series = Map.of("kNN top-1",
                List.of(new Point(0.75, 0.48), new Point(0.4, 0.41), new Point(0.6, 0.47), new Point(0.9, 0.39)));

        Curves.xy("Accuracy against mask ratio", "mask ratio", "accuracy", series, png);

        assertIsAChart(png);
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(png);
        }
    }

    @Test
    void aChartNeedsPoints() {
        Path png = directory.resolve("empty.png");
        MetricsFile noSteps = new MetricsFile(List.of(), List.of(), List.of(), Map.of());

        assertThatThrownBy(() -> Curves.xy("Sweep", "x", "y", Map.of("a", List.of()), png))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the chart \"Sweep\" has no points to draw; give at least one series with a point");
        assertThatThrownBy(() -> Curves.loss(noSteps, png))
                .hasMessage("the metrics hold no step lines, so " + png + " would have no loss to draw");
        assertThat(png).doesNotExist();
    }

    /** Three epochs of four steps: a falling loss under a warm-up and cosine learning rate. */
    private static MetricsFile run() {
        List<Point> loss = new ArrayList<>();
        List<Point> rate = new ArrayList<>();
        List<Point> epochs = new ArrayList<>();
        double sum = 0;
        for (int step = 1; step <= 12; step++) {
            double value = 1 / Math.sqrt(step) + 0.05 * Math.sin(step);
            loss.add(new Point(step, value));
            double warm = 1.5e-4 * step / 3;
            double cosine = 1.5e-4 * (1 + Math.cos(Math.PI * (step - 3) / 9)) / 2;
            rate.add(new Point(step, step <= 3 ? warm : cosine));
            sum += value;
            if (step % 4 == 0) {
                epochs.add(new Point(step, sum / 4));
                sum = 0;
            }
        }
        return new MetricsFile(loss, rate, epochs, Map.of());
    }

    private static void assertIsAChart(Path png) throws IOException {
        assertThat(png).isRegularFile();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG that ImageIO decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(500);
        assertThat(image.getRGB(0, 0) & 0xffffff).as("the background").isEqualTo(0xffffff);
        assertThat(colouredPixels(image)).as("pixels of the curves, not grey text or grid").isGreaterThan(100);
    }

    /** Pixels whose channels differ, as a series' colour does and the white, grey and black of the frame do not. */
    private static int colouredPixels(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 64) {
                    count++;
                }
            }
        }
        return count;
    }
}
