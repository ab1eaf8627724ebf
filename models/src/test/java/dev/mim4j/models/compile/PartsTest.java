package dev.mim4j.models.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.models.parts.Mlp;
import dev.mim4j.models.parts.MlpModule;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery of part providers: a provider that cannot be loaded is left out without breaking the rest, and a
 * compiler registered directly stays registered whatever loader discovers the built-ins again.
 */
class PartsTest {

    /** A compiler of one's own for a built-in part. */
    static final class IdentityMlp extends MlpModule {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void aBrokenProviderIsLeftOutAndADirectRegistrationStays(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(PartProvider.class.getName()), "org.example.NoSuchProvider\n"
                + "dev.mim4j.models.BuiltInParts\n");
        Compilers.mlp(GeluMlp.class, (part, width) -> new IdentityMlp());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Parts.discover(loader);
        } finally {
            assertThat(Compilers.mlp(new GeluMlp(4.0), 8)).as("the built-ins, found again, replaced nothing")
                    .isInstanceOf(IdentityMlp.class);
            Compilers.mlp(GeluMlp.class, Mlp::compile);
        }
        assertThat(Compilers.mlp(new GeluMlp(4.0), 8)).isInstanceOf(Mlp.class);
    }
}
