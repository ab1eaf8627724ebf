package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageSpecTest {

    @Test
    void grayscaleAndNonSquareImagesAreOrdinarySpecs() {
        ImageSpec scan = ImageSpec.of(256, 192, 1);

        assertThat(scan.height()).isEqualTo(256);
        assertThat(scan.width()).isEqualTo(192);
        assertThat(scan.channels()).isEqualTo(1);
    }

    @Test
    void squareHasEqualSides() {
        assertThat(ImageSpec.square(224, 3)).isEqualTo(ImageSpec.of(224, 224, 3));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0   | 224 | 3 | image height 0 must be at least 1
            224 | -1  | 3 | image width -1 must be at least 1
            224 | 224 | 0 | image channels 0 must be at least 1
            """)
    void everySideMustBePositive(int height, int width, int channels, String message) {
        assertThatThrownBy(() -> ImageSpec.of(height, width, channels))
                .isInstanceOf(SpecException.class)
                .hasMessage(message);
    }
}
