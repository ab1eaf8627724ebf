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
        float[] pixels = new float[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 4; x < 8; x++) {
                pixels[y * 8 + x] = 1f;
            }
        }
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
    void theModelPredictsTheTargetsWidthAndTrainsOnIt() {
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
