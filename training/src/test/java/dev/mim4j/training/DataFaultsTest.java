package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.ImageFolderDataset;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data taken away while a run reads it: a folder renamed stops the run at once, with a sentence that says
 * so, and half of its images deleted stop it at the first bad image past the allowed share; neither skips its
 * way through the remaining epochs, and the checkpoint written before stays.
 */
class DataFaultsTest {

    @TempDir
    Path dir;

    private Path images;
    private TrainingData data;

    @BeforeEach
    void aFolderOf256Images() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 256; i++) {
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            image.setRGB(i % 16, i / 16 % 16, 0xFFFFFF);
            ImageIO.write(image, "png", images.resolve(String.format("%03d.png", i)).toFile());
        }
        ImageFolderDataset dataset = ImageFolderDataset.open(images, 3, BadImagePolicy.SKIP_AND_COUNT);
        data = new TrainingData(dataset, Transforms.maePretrain(16, Normalize.IMAGENET),
                Transforms.eval(16, Normalize.IMAGENET), Normalize.IMAGENET, BadImagePolicy.SKIP_AND_COUNT);
    }

    @Test
    void aFolderRenamedDuringTheRunStopsItAtOnce() throws IOException {
        Path run = dir.resolve("run");
        List<Long> steps = new ArrayList<>();

        assertThatThrownBy(() -> pretrain(run, steps, () -> Files.move(images, dir.resolve("renamed"))))
                .isInstanceOf(IOException.class)
                .hasMessage("the image folder " + images + " is gone (moved or deleted during the run), so no image of"
                        + " it can be read; put it back, and resume");
        // the batches decoded before the folder went may still train, but not the epoch's rest
        assertThat(steps).last().matches(step -> step < 32);
        Checkpoints.verify(Checkpoints.latest(run).orElseThrow());
    }

    @Test
    void halfTheImagesDeletedStopTheRunPastTheAllowedShare() throws IOException {
        Path run = dir.resolve("run");
        List<Long> steps = new ArrayList<>();

        assertThatThrownBy(() -> pretrain(run, steps, () -> {
            for (int i = 0; i < 256; i += 2) {
                Files.delete(images.resolve(String.format("%03d.png", i)));
            }
        })).isInstanceOf(IOException.class)
                .hasMessageStartingWith("3 of the epoch's 256 images could not be read, more than the 1% allowed")
                .hasMessageContaining("; the last: cannot read image " + images + "/")
                .hasMessageContaining(": it is missing (moved or deleted since the folder was listed); repair the"
                        + " data, or allow a larger share of bad images (--max-bad-images)");
        assertThat(steps).last().matches(step -> step < 32);
    }

    /** An epoch of 32 steps, a checkpoint every 2; after step 2, {@code fault}. */
    private void pretrain(Path run, List<Long> steps, Fault fault) throws IOException {
        TrainConfig config = TinyRuns.config(1).toBuilder().checkpointEverySteps(2).build();
        Pretrainer.start(TinyRuns.MAE, config, data, run).listener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                steps.add(m.step());
                if (m.step() == 2) {
                    try {
                        fault.happen();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }).run();
    }

    @FunctionalInterface
    private interface Fault {
        void happen() throws IOException;
    }
}
