package dev.mim4j.samples.examples.maskfeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.compile.Parts;
import dev.mim4j.models.mim.MimModel;
import dev.mim4j.models.mim.MimOutput;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** MaskFeat's HOG target: the histograms an edge gives, the width a decoder must predict, and refusals at build(). */
class HogTargetTest {

    private static final ViT VIT = ViT.builder().image(8, 8, 1).patchSize(4).width(16).depth(1).heads(2).build();

    @Test
    void anEdgeDownTheImagePutsAllOfItsCellsMassInTheBinOfHorizontalGradients() {
        float[] pixels = edgeDownTheImage();
        HogTarget target = new HogTarget(9, 2);
        try (PointerScope scope = new PointerScope()) {
            Tensor hog = HogTargetFunction.compile(target, VIT).of(Tensors.floats(pixels, 1, 1, 8, 8));
            float[] values = Tensors.toFloats(hog);

            assertThat(Tensors.shape(hog)).containsExactly(1, 4, target.width(VIT));
            assertThat(target.width(VIT)).isEqualTo(36); // 1 channel, 9 bins, 2x2 cells
            // patch 0 (top left): its right-hand cells touch the edge at x = 3, its left-hand cells are flat
            int topRightCell = 1;
            int topLeftCell = 0;
            for (int bin = 0; bin < 9; bin++) {
                assertThat(values[bin * 4 + topRightCell]).as("bin %d", bin).isCloseTo(bin == 4 ? 1f : 0f, within(1e-6f));
                assertThat(values[bin * 4 + topLeftCell]).as("bin %d", bin).isCloseTo(0f, within(1e-6f));
            }
        }
    }

    @Test
    void theTargetOfRandomImagesIsTheHistogramsAPlainLoopComputes() {
        ViT rgb = ViT.builder().image(12, 12, 3).patchSize(6).width(16).depth(1).heads(2).build();
        HogTarget target = new HogTarget(9, 3);
        SplittableRandom random = new SplittableRandom(7);
        float[] pixels = new float[2 * 3 * 12 * 12];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        try (PointerScope scope = new PointerScope()) {
            float[] values = Tensors.toFloats(HogTargetFunction.compile(target, rgb)
                    .of(Tensors.floats(pixels, 2, 3, 12, 12)));

            assertThat(values).containsExactly(histograms(pixels, 2, 3, 12, 6, 3, 9), within(1e-5f));
        }
    }

    /**
     * MaskFeat's HOG written out pixel by pixel, as a check of the tensor version: Sobel gradients over a
     * reflected border, magnitudes weighted by a Gaussian over the patch (std half the patch), unsigned
     * orientation bins, sums per cell, each cell's histogram divided by its length; token by token, then channel,
     * bin, cell row, cell column.
     */
    private static float[] histograms(float[] x, int batch, int channels, int size, int patch, int cell, int bins) {
        int grid = size / patch;
        int cells = patch / cell;
        double[] line = new double[patch];
        double sum = 0;
        for (int i = 0; i < patch; i++) {
            line[i] = Math.exp(-0.5 * Math.pow((i - (patch - 1) / 2.0) / (patch / 2.0), 2));
            sum += line[i];
        }
        double[][][][] histogram = new double[batch][channels][bins][grid * cells * grid * cells];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < size; y++) {
                    for (int xx = 0; xx < size; xx++) {
                        double gx = 0;
                        double gy = 0;
                        int[][] sobel = {{1, 0, -1}, {2, 0, -2}, {1, 0, -1}};
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                double v = x[((b * channels + c) * size + reflect(y + dy, size)) * size
                                        + reflect(xx + dx, size)];
                                gx += sobel[dy + 1][dx + 1] * v;
                                gy += sobel[dx + 1][dy + 1] * v;
                            }
                        }
                        int bin = Math.floorMod((int) Math.floor(Math.atan2(gx, gy) / Math.PI * bins), bins);
                        double weight = line[y % patch] * line[xx % patch] / (sum * sum);
                        int cellIndex = (y / cell) * grid * cells + xx / cell;
                        histogram[b][c][bin][cellIndex] += Math.sqrt(gx * gx + gy * gy) * weight;
                    }
                }
            }
        }
        float[] out = new float[batch * grid * grid * channels * bins * cells * cells];
        int k = 0;
        for (int b = 0; b < batch; b++) {
            for (int row = 0; row < grid; row++) {
                for (int column = 0; column < grid; column++) {
                    for (int c = 0; c < channels; c++) {
                        for (int bin = 0; bin < bins; bin++) {
                            for (int cy = 0; cy < cells; cy++) {
                                for (int cx = 0; cx < cells; cx++) {
                                    int cellIndex = (row * cells + cy) * grid * cells + column * cells + cx;
                                    double length = 0;
                                    for (int j = 0; j < bins; j++) {
                                        length += Math.pow(histogram[b][c][j][cellIndex], 2);
                                    }
                                    out[k++] = (float) (histogram[b][c][bin][cellIndex]
                                            / Math.max(Math.sqrt(length), 1e-12));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** An 8x8 image, dark on its left half and bright on its right. */
    private static float[] edgeDownTheImage() {
        float[] pixels = new float[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 4; x < 8; x++) {
                pixels[y * 8 + x] = 1f;
            }
        }
        return pixels;
    }

    private static int reflect(int i, int size) {
        return i < 0 ? -i : i >= size ? 2 * size - 2 - i : i;
    }

    @Test
    void theHistogramsOfAnEdgeDownTheImageAreDrawnAsALineDownTheImage() {
        float[] pixels = edgeDownTheImage();
        HogTargetFunction hog = HogTargetFunction.compile(new HogTarget(9, 2), VIT);
        try (PointerScope scope = new PointerScope()) {
            Tensor images = Tensors.floats(pixels, 1, 1, 8, 8);
            Tensor drawing = hog.draw(hog.of(images), images).orElseThrow();
            float[] drawn = Tensors.toFloats(drawing);

            assertThat(Tensors.shape(drawing)).containsExactly(1, 1, 8, 8);
            for (int y = 0; y < 8; y++) {
                assertThat(drawn[y * 8 + 3]).as("row %d, the edge cells' centre line", y).isEqualTo(1f);
                assertThat(drawn[y * 8]).as("row %d, a flat cell", y).isZero();
            }
        }
    }

    @Test
    void anEdgeAcrossTheImageFallsInTheFirstBin() {
        float[] pixels = new float[64];
        for (int i = 32; i < 64; i++) {
            pixels[i] = 1f;
        }
        try (PointerScope scope = new PointerScope()) {
            float[] values = Tensors.toFloats(HogTargetFunction.compile(new HogTarget(9, 4), VIT)
                    .of(Tensors.floats(pixels, 1, 1, 8, 8)));

            // patch 0 (one 4x4 cell) touches the edge at y = 3: all of its mass in bin 0
            assertThat(values[0]).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void aBuiltInDecoderOfPixelsIsRefusedWithTheHogTargetWhenTheRecipeIsBuilt() {
        MimRecipe.Builder hogWithPixelDecoder = MimRecipe.on(VIT).masking(MaskFeat.recipe(VIT).masking())
                .maskedTokens(MaskedTokens.REPLACE_WITH_TOKEN).decoder(Decoder.linearPixels())
                .target(new HogTarget(9, 2)).loss(MaskFeat.recipe(VIT).loss());

        assertThatThrownBy(hogWithPixelDecoder::build).isInstanceOf(SpecException.class)
                .hasMessageContaining("a linear pixel decoder predicts the pixels of each patch, 16 values (4x4x1),"
                        + " but the target has 36 per patch");
    }

    @Test
    void cellsThatDoNotTileThePatchAndALinearHeadAfterDroppedTokensOrASwinAreRefused() {
        MimRecipe maskFeat = MaskFeat.recipe(VIT);
        Swin swin = Swin.builder().image(16, 16, 1).patchSize(2).embedWidth(8).depths(1, 1).heads(1, 1).window(4)
                .build();

        assertThatThrownBy(() -> maskFeat.toBuilder().target(new HogTarget(9, 3)).build())
                .hasMessageContaining("HOG cells of 3 pixels do not tile the 4-pixel patches");
        assertThatThrownBy(() -> maskFeat.toBuilder().maskedTokens(MaskedTokens.DROP).build())
                .hasMessageContaining("a linear head cannot follow an encoder that drops the masked tokens");
        assertThatThrownBy(() -> MaskFeat.recipe(swin)).hasMessageContaining("use a ViT");
    }

    @Test
    void theModelPredictsTheTargetsWidthAndGivesAFiniteLoss() {
        Parts.discover();
        try (MimModel model = MimModel.compile(MaskFeat.recipe(VIT)); PointerScope scope = new PointerScope()) {
            Tensor images = Tensors.floats(new float[2 * 64], 2, 1, 8, 8).uniform_(0, 1, null);
            try (MimOutput output = model.forward(images, new SplittableRandom(0))) {
                assertThat(Tensors.shape(output.prediction())).containsExactly(2, 4, 36);
                assertThat(output.loss().item().toDouble()).isFinite().isPositive();
            }
        }
    }
}
