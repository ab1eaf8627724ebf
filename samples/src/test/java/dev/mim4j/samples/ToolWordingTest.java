package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library says what a setting is; the tool adds the flag that sets it. */
class ToolWordingTest {

    @Test
    void aMistakeAboutASettingGetsItsFlag() {
        assertThat(ToolWording.of(new Mim4jException(Mim4jException.OUTPUT, "choose another output folder")))
                .isEqualTo("choose another output folder (--output)");
        assertThat(ToolWording.of(new SpecException("image height 225 is not a multiple of patch size 16")))
                .isEqualTo("image height 225 is not a multiple of patch size 16");
        assertThat(ToolWording.of(new IOException("x.safetensors: no such checkpoint file or folder")))
                .isEqualTo("x.safetensors: no such checkpoint file or folder");
    }

    @Test
    void controlCharactersQuotedFromAFileNeverReachTheTerminal(@TempDir Path dir) {
        String clearScreen = "\u001b[2J\u001b[H";
        Path forged = dir.resolve("run" + clearScreen + "\u202e.json");

        CommandRun refused = run("pretrain", "--recipe", "mae", "--spec", forged.toString(), "--output",
                dir.resolve("out").toString());

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).doesNotContain("\u001b").doesNotContain("\u202e")
                .contains("run\\u001b[2J\\u001b[H\\u202e.json: no such file");
        assertThat(ToolWording.printable("a\tb\nc\u0007")).isEqualTo("a\\u0009b\nc\\u0007");
    }

    @Test
    void aWarningIsOneEscapedLine() {
        LogRecord skipped = new LogRecord(Level.WARNING, "skipping a bad image ({0} so far): {1}");
        skipped.setParameters(new Object[] {3, "cannot read image cat\u001b[2J\nforged line.png: corrupt"});

        assertThat(new ToolLogging.OneLine().format(skipped)).isEqualTo("warning: skipping a bad image (3 so far):"
                + " cannot read image cat\\u001b[2J\\nforged line.png: corrupt" + System.lineSeparator());
    }

    @Test
    void aSecondRunIntoAFolderOfCheckpointsIsToldWhichFlagToChange(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("stripes-images-idx3-ubyte");
        Path labels = dir.resolve("stripes-labels-idx1-ubyte");
        StripeImages.write(images, labels);
        String[] pretrain = {"pretrain", "--data", images.toString(), "--labels", labels.toString(), "--epochs", "1",
            "--batch", "8", "--pictures-every", "0", "--output", dir.resolve("run").toString()};
        assertThat(run(pretrain).code()).isZero();
        CommandRun again = run(pretrain);
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).startsWith("mim4j pretrain: " + dir.resolve("run") + " already holds checkpoints")
                .endsWith("resume that run, or choose another output folder (--output)");
    }
}
