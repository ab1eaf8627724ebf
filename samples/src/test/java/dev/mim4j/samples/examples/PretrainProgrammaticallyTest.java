package dev.mim4j.samples.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import dev.mim4j.training.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainProgrammaticallyTest {

    @Test
    void itPreTrainsAFolderOfClassFoldersAndRecordsTheMaePreset(@TempDir Path dir) throws Exception {
        for (String label : new String[] {"circles", "squares"}) {
            Path folder = Files.createDirectories(dir.resolve("images").resolve(label));
            for (int i = 0; i < 4; i++) {
                BufferedImage image = new BufferedImage(72, 64, BufferedImage.TYPE_INT_RGB);
                image.getGraphics().fillRect(8 * i, 8, 20, 20);
                ImageIO.write(image, "png", folder.resolve(label + "-" + i + ".png").toFile());
            }
        }
        Path output = dir.resolve("run");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            PretrainProgrammatically.main(new String[] {dir.resolve("images").toString(), output.toString(), "1"});
        } finally {
            System.setOut(out);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("last checkpoint: ");
        assertThat(Checkpoints.readPresetName(output)).contains("mae");
        assertThat(output.resolve("metrics.jsonl")).isNotEmptyFile();
    }
}
