package dev.mim4j.models;

import static dev.mim4j.models.TensorAssert.assertEqual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.gather;

import java.util.SplittableRandom;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Masking;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MaskSampleTest {

    /** 64 x 96 pixels, patch 8: an 8 x 12 token grid; mask patch 16 gives 4 x 6 blocks of 2 x 2 tokens. */
    static final ViT VIT = ViT.builder().image(64, 96, 3).patchSize(8).width(32).depth(1).heads(2).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @Test
    void randomPatchesKeepTheSameCountPerImageAndRestoreTheOrder() {
        try (PointerScope scope = new PointerScope()) {
            MaskSample sample = MaskSample.draw(Masking.randomPatches(0.75), VIT.grid(), 5, new SplittableRandom(1));
            assertThat(sample.kept()).isEqualTo(24);
            float[] mask = Tensors.toFloats(sample.mask());
            for (int b = 0; b < 5; b++) {
                int masked = 0;
                for (int t = 0; t < 96; t++) {
                    masked += (int) mask[b * 96 + t];
                }
                assertThat(masked).as("masked tokens of image " + b).isEqualTo(72);
            }
            Tensor identity = gather(sample.idsShuffle(), 1, sample.idsRestore());
            long[] restored = Tensors.toLongs(identity);
            for (int i = 0; i < restored.length; i++) {
                assertThat(restored[i]).isEqualTo(i % 96);
            }
            float[] keptMask = Tensors.toFloats(gather(sample.mask(), 1, sample.idsKeep()));
            assertThat(keptMask).as("the kept tokens are the visible ones").containsOnly(0f);
        }
    }

    @Test
    void theSameSeedGivesTheSameMasks() {
        try (PointerScope scope = new PointerScope()) {
            for (Masking masking : new Masking[] {Masking.randomPatches(0.6), Masking.blocks(16, 0.5)}) {
                MaskSample a = MaskSample.draw(masking, VIT.grid(), 3, new SplittableRandom(42));
                MaskSample b = MaskSample.draw(masking, VIT.grid(), 3, new SplittableRandom(42));
                MaskSample c = MaskSample.draw(masking, VIT.grid(), 3, new SplittableRandom(43));
                assertEqual("same seed", a.mask(), b.mask());
                assertThat(Tensors.toFloats(a.mask())).isNotEqualTo(Tensors.toFloats(c.mask()));
            }
        }
    }

    @Test
    void blocksCoverWholeMaskPatchesAndRoundTheCountUp() {
        try (PointerScope scope = new PointerScope()) {
            // 24 blocks at 0.3: ceil(7.2) = 8 blocks of 4 tokens each
            MaskSample sample = MaskSample.draw(Masking.blocks(16, 0.3), VIT.grid(), 4, new SplittableRandom(7));
            assertThat(sample.kept()).isEqualTo(96 - 32);
            float[] mask = Tensors.toFloats(sample.mask());
            for (int b = 0; b < 4; b++) {
                for (int blockRow = 0; blockRow < 4; blockRow++) {
                    for (int blockCol = 0; blockCol < 6; blockCol++) {
                        float first = mask[b * 96 + (2 * blockRow) * 12 + 2 * blockCol];
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                assertThat(mask[b * 96 + (2 * blockRow + dy) * 12 + 2 * blockCol + dx])
                                        .as("every token of a block shares its state").isEqualTo(first);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void anExplicitMaskKeepsItsVisibleTokensInGridOrder() {
        try (PointerScope scope = new PointerScope()) {
            Tensor mask = Tensors.floats(new float[] {1, 0, 1, 0, 0, 1, 1, 0}, 2, 4);
            MaskSample sample = MaskSample.fromMask(mask);
            assertThat(sample.kept()).isEqualTo(2);
            assertThat(Tensors.toLongs(sample.idsKeep())).containsExactly(1, 3, 0, 3);
        }
    }

    @Test
    void explicitMasksAndNoiseAreChecked() {
        try (PointerScope scope = new PointerScope()) {
            MaskSample uneven = MaskSample.fromMask(Tensors.floats(new float[] {1, 0, 0, 1, 1, 0}, 2, 3));
            assertThat(uneven.kept()).as("images that mask different counts keep no common count").isEqualTo(-1);
            assertThatThrownBy(uneven::idsKeep).hasMessageStartingWith("the masks hide a different number of tokens"
                    + " in different images; dropping masked tokens needs the same number in every image");
            assertThatThrownBy(() -> MaskSample.fromMask(Tensors.floats(new float[] {1, 0, 1, 1}, 2, 2)))
                    .hasMessage("mask: image 1 masks 2 of 2 tokens; at least one must be masked and one visible");
            assertThatThrownBy(() -> MaskSample.fromNoise(Tensors.floats(new float[4], 1, 4), 4))
                    .hasMessage("kept tokens 4 must be in [1, 3] for 4 tokens");
            assertThatThrownBy(() -> MaskSample.draw(Masking.explicit(), VIT.grid(), 2, new SplittableRandom(1)))
                    .hasMessageStartingWith("explicit masking has no policy to draw masks from");
        }
    }
}
