package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mim4j.models.image.DecodeLimits;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageDecoder;

/**
 * Image files as a scraped folder holds them: whatever the bytes, decoding gives an image within the
 * limits or an {@link IOException} that says why.
 *
 * <p>CI replays the kept inputs ({@code ImageDecodeFuzzTestInputs/}); {@code bench/fuzz.sh image} fuzzes.
 */
class ImageDecodeFuzzTest {

    /** Smaller than the default, so that a campaign spends its time on many inputs, not on large rasters. */
    private static final DecodeLimits LIMITS = new DecodeLimits(4_000_000, 1 << 20);

    @FuzzTest
    void decodesAnImageOrExplainsWhyNot(byte[] content) {
        int channels = content.length % 2 == 0 ? 3 : 1;
        FloatImage image;
        try {
            image = ImageDecoder.decode(content, channels, LIMITS);
        } catch (IOException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(image.channels()).isEqualTo(channels);
        assertThat((long) image.height() * image.width()).isBetween(1L, LIMITS.maxPixels());
        for (float value : image.pixels()) {
            assertThat(value).isBetween(0f, 1f);
        }
    }
}
