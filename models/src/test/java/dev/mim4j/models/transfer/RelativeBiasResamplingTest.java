package dev.mim4j.models.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resizing a bias table gives what SimMIM's {@code load_pretrained} gives (scipy's bicubic interp2d on
 * geometric offsets): {@code transfer/bias_resize.json}, made by {@code make_bias_resize.py} beside it.
 */
class RelativeBiasResamplingTest {

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {0, 1})
    void aResizedTableIsTheOfficialOne(int index) throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/transfer/bias_resize.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        JsonNode c = cases.get(index);
        int source = 2 * c.get("window").asInt() - 1;
        int target = 2 * c.get("newWindow").asInt() - 1;
        int heads = c.get("heads").asInt();
        float[] table = floats(c.get("table"));
        float[] expected = floats(c.get("resized"));

        float[] resized = RelativeBiasResampling.resize(table, source, target, heads);

        assertThat(resized).hasSize(target * target * heads);
        for (int i = 0; i < expected.length; i++) {
            assertThat(resized[i]).as("value %d", i).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void aWindowOfTwoIsTooSmallToResizeAsTheOfficialCodeFindsToo() {
        assertThatThrownBy(() -> RelativeBiasResampling.resize(new float[9], 3, 7, 1))
                .hasMessage("a bias table of 3x3 offsets (window 2) is too small for a bicubic spline to resize, as in"
                        + " SimMIM's load_pretrained; pre-train with a window of 3 or more");
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }
}
