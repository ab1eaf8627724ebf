package dev.mim4j.samples.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractFeaturesTest {

    @Test
    void itWritesOneRowPerImageOfTheFolder(@TempDir Path dir) throws Exception {
        ViT vit = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(2).heads(2).build();
        MimRecipe recipe = MimRecipe.mae(vit).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build();
        Path run = dir.resolve("run");
        Pretrainer.start(recipe, TrainConfig.mae(1, 8).toBuilder().picturesEveryEpochs(0).build(),
                new TrainingData(SyntheticDataset.of(16, new ImageSize(3, 16, 16), 1),
                        Transforms.maePretrain(16, Normalize.IMAGENET), Transforms.eval(16, Normalize.IMAGENET),
                        Normalize.IMAGENET, BadImagePolicy.FAIL), run).run();
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 5; i++) {
            ImageIO.write(new BufferedImage(24 + i, 20, BufferedImage.TYPE_INT_RGB), "png",
                    images.resolve("image-" + i + ".png").toFile());
        }
        Path output = dir.resolve("features.safetensors");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ExtractFeatures.main(new String[] {run.toString(), images.toString(), output.toString()});
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("wrote 5 x 32 features to ");
        try (SafetensorsFile file = SafetensorsFile.open(output)) {
            assertThat(file.metadata()).containsEntry("pooling", "cls");
            assertThat(file.metadata().get("files")).startsWith("image-0.png\nimage-1.png");
        }
    }
}
