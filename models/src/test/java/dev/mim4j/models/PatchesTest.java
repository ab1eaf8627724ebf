package dev.mim4j.models;

import static dev.mim4j.models.TensorAssert.assertClose;
import static dev.mim4j.models.TensorAssert.assertEqual;
import static dev.mim4j.models.TensorAssert.assertShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.arange;
import static org.bytedeco.pytorch.global.torch.randn;

import dev.mim4j.models.weights.SafetensorsWeights;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchesTest {

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @ParameterizedTest(name = "{0} channels, {1}x{2}, patch {3}")
    @CsvSource({"1, 28, 28, 7", "3, 32, 48, 8", "3, 16, 8, 4", "1, 12, 20, 4", "4, 6, 6, 3"})
    void unpatchifyInvertsPatchify(int channels, int height, int width, int patch) {
        try (PointerScope scope = new PointerScope()) {
            Tensor images = randn(2, channels, height, width);
            Tensor patches = Patches.patchify(images, patch);
            int gh = height / patch;
            int gw = width / patch;
            assertShape(patches, 2, (long) gh * gw, (long) patch * patch * channels);
            assertEqual("round trip", Patches.unpatchify(patches, patch, channels, gh, gw), images);
        }
    }

    @Test
    void patchHoldsPixelsRowMajorWithTheChannelLast() {
        try (PointerScope scope = new PointerScope()) {
            // 2 channels, 2x4 image, patch 2: pixel (c, y, x) has value 100c + 10y + x
            float[] values = new float[2 * 2 * 4];
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 4; x++) {
                        values[c * 8 + y * 4 + x] = 100 * c + 10 * y + x;
                    }
                }
            }
            float[] patches = Tensors.toFloats(Patches.patchify(Tensors.floats(values, 1, 2, 2, 4), 2));
            // second patch (x = 2..3): (y0 x2 c0, y0 x2 c1, y0 x3 c0, y0 x3 c1, y1 x2 c0, ...)
            assertThat(patches).startsWith(0, 100, 1, 101, 10, 110, 11, 111, 2, 102, 3, 103, 12, 112, 13, 113);
        }
    }

    @Test
    void matchesTheOfficialPatchify() throws Exception {
        try (PointerScope scope = new PointerScope();
                SafetensorsWeights io = SafetensorsWeights.open(Golden.path(Golden.MAE, "io.safetensors"))) {
            Tensor images = io.read("input.images");
            assertClose("patchify", Patches.patchify(images, 4), io.read("output.patchified"), 0, 0);
        }
    }

    @Test
    void rejectsSizesThatAreNotAMultipleOfThePatch() {
        try (PointerScope scope = new PointerScope()) {
            Tensor images = arange(new Scalar(2 * 3 * 30 * 32)).to(ScalarType.Float).reshape(2, 3, 30, 32);
            assertThatThrownBy(() -> Patches.patchify(images, 8))
                    .hasMessage("image 30x32 is not a multiple of patch size 8 in height");
            assertThatThrownBy(() -> Patches.unpatchify(randn(2, 16, 48), 4, 3, 4, 3))
                    .hasMessage("unpatchify expects [batch, 4x3=12 patches, 4x4x3=48], got shape [2, 16, 48]");
        }
    }
}
