package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import dev.mim4j.models.Tensors;
import dev.mim4j.models.inference.ImageEncoder;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.training.eval.Features;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the library's inference API gives for a checkpoint and a folder of images is what the tool's
 * {@code features} command writes for them, bit for bit: one encoder, one evaluation view, one pooling.
 */
class LibraryMatchesToolTest {

    @Test
    void imageEncoderFeaturesEqualTheFeaturesCommandsFile(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("stripes-images-idx3-ubyte");
        Path labels = dir.resolve("stripes-labels-idx1-ubyte");
        StripeImages.write(images, labels);
        Path run = dir.resolve("run");
        CommandRun pretrain = run("pretrain", "--data", images.toString(), "--labels", labels.toString(),
                "--epochs", "1", "--batch", "8", "--pictures-every", "0", "--output", run.toString());
        assertThat(pretrain.code()).as(pretrain.err()).isZero();

        // photos of another size than the model's 8x8, so that both sides resize and crop
        Path folder = dir.resolve("photos");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path file = folder.resolve("class" + i % 2).resolve("photo-" + i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(photo(20 + i, 14 + 2 * i, i), "png", file.toFile());
            files.add(file);
        }
        Path output = dir.resolve("features.safetensors");
        CommandRun features = run("features", "--checkpoint", run.toString(), "--data", folder.toString(),
                "--channels", "1", "--pooling", "mean", "--block", "1", "--batch", "64", "--output", output.toString());
        assertThat(features.code()).as(features.err()).isZero();

        List<float[]> fromTool = new ArrayList<>();
        try (Features written = Features.load(output)) {
            float[] values = Tensors.toFloats(written.values());
            for (int i = 0; i < written.count(); i++) {
                fromTool.add(Arrays.copyOfRange(values, i * written.width(), (i + 1) * written.width()));
            }
        }
        float[][] fromLibrary;
        try (ImageEncoder encoder = ImageEncoder.load(run)) {
            fromLibrary = encoder.pooling(Pooling.MEAN).block(1).batchSize(64)
                    .featuresOfFiles(files);
        }
        // the tool's loader hands the images over in an order of its own
        assertThat(fromTool).hasSize(12).usingElementComparator(Arrays::compare)
                .containsExactlyInAnyOrder(fromLibrary);
    }

    private static BufferedImage photo(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int value = ((x + y) % 3) * 80 + random.nextInt(40);
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        return image;
    }
}
