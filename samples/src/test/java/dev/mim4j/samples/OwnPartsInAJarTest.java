package dev.mim4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part and a preset in a jar of one's own, compiled apart from mim4j and given to the tool with --parts: the
 * preset is a name for --recipe, and every command after it reads the run's checkpoint, each in a new JVM; a
 * command without the jar says what is missing.
 */
class OwnPartsInAJarTest {

    private static final String MASKING = """
            package jarparts;

            import java.util.random.RandomGenerator;
            import dev.mim4j.dsl.TokenGrid;
            import dev.mim4j.dsl.recipe.Masking;

            /** Every other row of patches, starting at row 0 or 1. */
            public record RowMasking() implements Masking {
                public void validate(TokenGrid grid) {
                }

                public boolean[] sample(TokenGrid grid, RandomGenerator random) {
                    boolean[] mask = new boolean[grid.rows() * grid.columns()];
                    int first = random.nextInt(2);
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = (i / grid.columns() + first) % 2 == 0;
                    }
                    return mask;
                }

                public String describe() {
                    return "every other row";
                }
            }
            """;

    private static final String PROVIDER = """
            package jarparts;

            import java.util.Collection;
            import java.util.List;
            import dev.mim4j.dsl.recipe.Decoder;
            import dev.mim4j.dsl.recipe.MimRecipe;
            import dev.mim4j.models.compile.PartProvider;
            import dev.mim4j.models.compile.PartRegistry;
            import dev.mim4j.training.TrainConfig;
            import dev.mim4j.training.data.Transforms;
            import dev.mim4j.training.preset.Preset;
            import dev.mim4j.training.preset.PresetProvider;

            public final class JarParts implements PartProvider, PresetProvider {
                public void register(PartRegistry parts) {
                    parts.masking("jar.rows", RowMasking.class);
                }

                public Collection<Preset> presets() {
                    return List.of(Preset.builder("jar.rows").summary("MAE masking every other row")
                            .recipe(backbone -> MimRecipe.mae(backbone).toBuilder().masking(new RowMasking())
                                    .decoder(Decoder.transformer(16, 1, 2)).build())
                            .config(TrainConfig::mae).augmentation(Transforms::maePretrain).build());
                }
            }
            """;

    @Test
    void aJarGivenWithPartsBringsItsPresetAndEveryCommandReadsItsCheckpoints(@TempDir Path dir) throws Exception {
        Path jar = compileJar(dir);
        Path images = dir.resolve("stripes-images-idx3-ubyte");
        Path labels = dir.resolve("stripes-labels-idx1-ubyte");
        StripeImages.write(images, labels);
        Path vit = Files.writeString(dir.resolve("vit.json"), SpecJson.toJson(
                ViT.builder().image(8, 8, 1).patchSize(2).width(16).depth(1).heads(2).build()));
        Path run = dir.resolve("run");

        CommandRun pretrain = CommandRun.inNewJvm("--parts", jar.toString(), "pretrain", "--recipe", "jar.rows",
                "--spec", vit.toString(), "--data", images.toString(), "--epochs", "1", "--batch", "8",
                "--pictures-every", "0", "--output", run.toString());
        String[] knn = {"knn", "--checkpoint", run.toString(), "--train-data", images.toString(), "--train-labels",
            labels.toString(), "--split", "0.5", "--k", "3"};
        CommandRun withJar = CommandRun.inNewJvm(CommandRun.concat(knn, new String[] {"--parts=" + jar}));
        CommandRun withoutJar = CommandRun.inNewJvm(knn);

        assertThat(pretrain.code()).as(pretrain.out()).isZero();
        assertThat(pretrain.out()).contains("every other row");
        assertThat(withJar.code()).as(withJar.out()).isZero();
        assertThat(withJar.out()).contains("\"command\":\"knn\"");
        assertThat(withoutJar.code()).isEqualTo(2);
        assertThat(withoutJar.out()).contains("jar.rows");
    }

    @Test
    void aPartsPathThatIsNotAJarIsRefusedWithASentence(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("parts.jar"), "not a jar");

        CommandRun refused = CommandRun.inNewJvm("--parts", text.toString(), "--version");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.out()).contains("mim4j: --parts " + text + " is not a jar (not a zip archive)");
    }

    /** The two classes compiled against this class path, with the services files that list the provider. */
    private static Path compileJar(Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/jarparts"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(sources.resolve("RowMasking.java"), MASKING);
        Files.writeString(sources.resolve("JarParts.java"), PROVIDER);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int code = compiler.run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), sources.resolve("RowMasking.java").toString(),
                sources.resolve("JarParts.java").toString());
        assertThat(code).as("javac").isZero();
        Path jar = dir.resolve("jar-parts.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (String service : List.of("dev.mim4j.models.compile.PartProvider",
                    "dev.mim4j.training.preset.PresetProvider")) {
                out.putNextEntry(new JarEntry("META-INF/services/" + service));
                out.write("jarparts.JarParts\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }
}
