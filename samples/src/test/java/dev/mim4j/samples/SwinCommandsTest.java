package dev.mim4j.samples;

import static dev.mim4j.samples.CommandRun.concat;
import static dev.mim4j.samples.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;


import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool pre-trains SimMIM on a Swin and takes the run through every downstream command, on 40 tiny images. */
class SwinCommandsTest {

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

    @Test
    void aSwinRunGoesThroughPretrainKnnLinprobeFeaturesAndFinetune() {
        Path run = dir.resolve("swin");
        CommandRun pretrain = run("pretrain", "--recipe", "simmim", "--model", "swin-demo", "--data", images.toString(),
                "--labels", labels.toString(), "--epochs", "1", "--batch", "8", "--pictures-every", "0", "--output",
                run.toString());
        assertThat(pretrain.code()).as(pretrain.err()).isZero();
        assertThat(pretrain.out()).contains("Swin 8x8x1, patch 2, width 48 (depths 2-6, heads 3-6), window 7");

        String[] split = {"--train-data", images.toString(), "--train-labels", labels.toString(), "--split", "0.5"};
        CommandRun knn = run(concat(new String[] {"knn", "--checkpoint", run.toString(), "--k", "3"}, split));
        assertThat(knn.code()).as(knn.err()).isZero();
        assertThat(knn.out()).contains("\"pooling\":\"mean\"", "\"width\":96");

        CommandRun probe = run(concat(new String[] {"linprobe", "--checkpoint", run.toString(), "--epochs", "1"},
                split));
        assertThat(probe.code()).as(probe.err()).isZero();

        CommandRun features = run("features", "--checkpoint", run.toString(), "--data", images.toString(),
                "--labels", labels.toString(), "--output", dir.resolve("features.safetensors").toString());
        assertThat(features.code()).as(features.err()).isZero();

        CommandRun finetune = run(concat(new String[] {"finetune", "--checkpoint", run.toString(), "--epochs", "1",
            "--batch", "8", "--output", dir.resolve("finetune").toString()}, split));
        assertThat(finetune.code()).as(finetune.err()).isZero();
        assertThat(finetune.out()).contains("\"finetune_top1\"");
    }

    @Test
    void maeOnASwinIsRefusedWithTheReason() {
        CommandRun mae = run("pretrain", "--recipe", "mae", "--model", "swin-demo", "--data", images.toString(),
                "--epochs", "1", "--batch", "8", "--output", dir.resolve("mae").toString());
        assertThat(mae.code()).isEqualTo(2);
        assertThat(mae.err()).contains("cannot drop masked tokens");
    }
}
