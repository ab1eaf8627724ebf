package dev.mim4j.dsl.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import com.google.common.collect.ImmutableList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong connections between stages must not compile, which only a compiler can show: each test
 * compiles a one-line pipeline against the dsl classes and reads javac's errors.
 */
class PipelineTypingTest {

    @TempDir Path classes;

    @Test
    void patchifiedImagesFeedABlock() {
        assertThat(compile("Pipeline.from(image).then(new Patchify(16, 768)).then(block)")).isEmpty();
    }

    @Test
    void imagesCannotFeedABlock() {
        assertThat(compile("Pipeline.from(image).then(block)"))
                .singleElement()
                .asString()
                .contains(notConvertible("TransformerBlock", "Images"));
    }

    @Test
    void imagesCannotBeMergedAsAGrid() {
        assertThat(compile("Pipeline.from(image).then(new PatchMerging(NormPart.layerNorm(1e-5)))"))
                .singleElement()
                .asString()
                .contains(notConvertible("PatchMerging", "Images"));
    }

    @Test
    void aBackboneGivesTokensNotImages() {
        assertThat(compile("ViT.builder().build().pipeline().then(new Patchify(16, 768))"))
                .singleElement()
                .asString()
                .contains(notConvertible("Patchify", "Tokens"));
    }

    @Test
    void theGridFeedsAGridStageAndTokensStages() {
        assertThat(compile("Pipeline.from(image).then(new Patchify(16, 768)).then(new ReplaceMaskedTokens())"
                + ".then(new AddPositions(AbsolutePosition.SIN_COS_2D)).then(new DropMaskedTokens()).then(block)"))
                .isEmpty();
    }

    @Test
    void droppedTokensCannotFeedAStageThatNeedsTheWholeGrid() {
        assertThat(compile("Pipeline.from(image).then(new Patchify(16, 768)).then(new DropMaskedTokens())"
                + ".then(new ReplaceMaskedTokens())"))
                .singleElement()
                .asString()
                .contains(notConvertible("ReplaceMaskedTokens", "Tokens"));
    }

    /**
     * How javac says that {@code stage} does not take the pipeline's current {@code kind} (inside its
     * "no suitable method found for then(..)", since then is overloaded with a named form).
     */
    private static String notConvertible(String stage, String kind) {
        String pkg = "dev.mim4j.dsl.stage.";
        return pkg + stage + " cannot be converted to " + pkg + "Stage<? super " + pkg + kind + ",N>";
    }

    /** The errors javac reports for {@code expression} in a scope with an image and a block. */
    private List<String> compile(String expression) {
        String source = """
                import dev.mim4j.dsl.*;
                import dev.mim4j.dsl.part.*;
                import dev.mim4j.dsl.stage.*;

                class Snippet {
                  Object pipeline(ImageSpec image, TransformerBlock block) {
                    return %s;
                  }
                }
                """.formatted(expression);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of(
                "-proc:none", "-d", classes.toString(), "-classpath", classpath());
        boolean compiled = javac
                .getTask(null, null, diagnostics, options, null, List.of(new SourceText(source)))
                .call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(diagnostic.getMessage(Locale.ROOT));
            }
        }
        assertThat(compiled).isEqualTo(errors.isEmpty());
        return errors;
    }

    /** The dsl's own classes and Guava, which its class files mention. */
    private static String classpath() {
        return location(Pipeline.class) + File.pathSeparator + location(ImmutableList.class);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class SourceText extends SimpleJavaFileObject {
        private final String text;

        SourceText(String text) {
            super(URI.create("string:///Snippet.java"), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
