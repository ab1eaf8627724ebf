package dev.mim4j.dsl.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.SpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void shapesPrintTheirNamedDimensionsWithASymbolicBatch() {
        assertThat(Shape.tokens(196, 768)).hasToString("[batch, tokens=196, width=768]");
        assertThat(Shape.images(3, 224, 160))
                .hasToString("[batch, channels=3, height=224, width=160]");
    }

    @Test
    void sizesAreLookedUpByName() {
        Shape tokens = Shape.tokens(196, 768);

        assertThat(tokens.size(Shape.TOKENS)).isEqualTo(196);
        assertThat(tokens.size(Shape.WIDTH)).isEqualTo(768);
        assertThat(tokens.size(Shape.BATCH)).isEqualTo(Dim.SYMBOLIC);
        assertThatThrownBy(() -> tokens.size("heads"))
                .isInstanceOf(SpecException.class)
                .hasMessage("shape [batch, tokens=196, width=768] has no dimension heads");
    }

    @Test
    void imagesAreNotTokens() {
        assertThatThrownBy(() -> Shape.images(3, 224, 224).requireTokens())
                .isInstanceOf(SpecException.class)
                .hasMessage("expected tokens [batch, tokens, width],"
                        + " got [batch, channels=3, height=224, width=224]");
        assertThatThrownBy(() -> Shape.tokens(196, 768).requireImages())
                .isInstanceOf(SpecException.class)
                .hasMessage("expected images [batch, channels, height, width],"
                        + " got [batch, tokens=196, width=768]");
    }

    @Test
    void aGridIsASequenceOfRowsTimesColumnsTokens() {
        Shape grid = Shape.grid(14, 10, 768);

        assertThat(grid).hasToString("[batch, rows=14, columns=10, width=768]");
        assertThat(grid.isGrid()).isTrue();
        assertThat(grid.requireTokens()).isSameAs(grid);
        assertThat(grid.requireGrid()).isSameAs(grid);
        assertThat(grid.tokenCount()).isEqualTo(140);
        assertThat(grid.withWidth(256)).isEqualTo(Shape.grid(14, 10, 256));
    }

    @Test
    void aSequenceIsNotAGrid() {
        Shape tokens = Shape.tokens(196, 768);

        assertThat(tokens.isGrid()).isFalse();
        assertThat(tokens.tokenCount()).isEqualTo(196);
        assertThat(tokens.withWidth(256)).isEqualTo(Shape.tokens(196, 256));
        assertThatThrownBy(tokens::requireGrid)
                .isInstanceOf(SpecException.class)
                .hasMessage("expected a whole token grid [batch, rows, columns, width],"
                        + " got [batch, tokens=196, width=768]");
        assertThatThrownBy(() -> Shape.images(3, 224, 224).tokenCount())
                .isInstanceOf(SpecException.class)
                .hasMessage("expected tokens [batch, tokens, width],"
                        + " got [batch, channels=3, height=224, width=224]");
    }

    @Test
    void dimensionsAreNamedPositiveAndDistinct() {
        assertThatThrownBy(() -> Shape.tokens(0, 768))
                .isInstanceOf(SpecException.class)
                .hasMessage("dimension tokens size 0 must be at least 1");
        assertThatThrownBy(() -> new Shape(List.of(Dim.batch(), Dim.batch())))
                .isInstanceOf(SpecException.class)
                .hasMessage("dimension names in [batch, batch] must be distinct");
    }
}
