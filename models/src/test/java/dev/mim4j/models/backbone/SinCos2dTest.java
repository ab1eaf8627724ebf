package dev.mim4j.models.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mim4j.models.Golden;
import dev.mim4j.models.weights.SafetensorsFile;
import org.junit.jupiter.api.Test;

class SinCos2dTest {

    @Test
    void followsTheClosedForm() {
        int gh = 3;
        int gw = 5;
        int width = 16;
        float[] table = SinCos2d.table(gh, gw, width, 1);
        assertThat(table).hasSize((1 + gh * gw) * width);
        for (int k = 0; k < width; k++) {
            assertThat(table[k]).as("cls row").isZero();
        }
        int quarter = width / 4;
        for (int row = 0; row < gh; row++) {
            for (int col = 0; col < gw; col++) {
                int base = (1 + row * gw + col) * width;
                for (int k = 0; k < quarter; k++) {
                    double omega = Math.pow(10000, -(double) k / quarter);
                    assertThat(table[base + k]).isCloseTo((float) Math.sin(col * omega), within(1e-7f));
                    assertThat(table[base + quarter + k]).isCloseTo((float) Math.cos(col * omega), within(1e-7f));
                    assertThat(table[base + 2 * quarter + k]).isCloseTo((float) Math.sin(row * omega), within(1e-7f));
                    assertThat(table[base + 3 * quarter + k]).isCloseTo((float) Math.cos(row * omega), within(1e-7f));
                }
            }
        }
    }

    @Test
    void equalsTheOfficialMaeTable() throws Exception {
        try (SafetensorsFile weights = SafetensorsFile.open(Golden.path(Golden.MAE, "weights.safetensors"))) {
            float[] official = weights.readFloats("pos_embed");
            float[] ours = SinCos2d.table(8, 8, 64, 1);
            assertThat(ours).containsExactly(official, within(1e-6f));
        }
    }

    @Test
    void needsAWidthDivisibleByFour() {
        assertThatThrownBy(() -> SinCos2d.table(2, 2, 6, 1))
                .hasMessage("sin-cos position width 6 is not a multiple of 4");
    }
}
