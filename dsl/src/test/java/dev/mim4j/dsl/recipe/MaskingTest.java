package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.TokenGrid;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MaskingTest {

    /** ViT-B/16's grid on 224x224 images: 14x14 tokens of 16 px. */
    private static final TokenGrid B16 = new TokenGrid(14, 14, 16);

    @Test
    void factoriesMakeTheThreePolicies() {
        assertThat(Masking.randomPatches(0.75)).isEqualTo(new RandomPatches(0.75));
        assertThat(Masking.blocks(32, 0.6)).isEqualTo(new BlockMasking(32, 0.6));
        assertThat(Masking.explicit()).isEqualTo(new ExplicitMasking());
    }

    @ParameterizedTest(name = "{0} tokens at {1} keep {2}")
    @CsvSource({
        "196, 0.75, 49",
        "64, 0.75, 16",
        "196, 0.6, 78",
        "49, 0.9, 4",
        "10, 0.33, 6"
    })
    void randomPatchesKeepTheFloorOfTheVisibleShare(int tokens, double ratio, int kept) {
        RandomPatches masking = Masking.randomPatches(ratio);

        assertThat(masking.kept(tokens)).isEqualTo(kept);
        assertThat(masking.masked(tokens)).isEqualTo(tokens - kept);
    }

    @Test
    void randomPatchesTruncateInDoubleLikeMae() {
        // 1 - 0.8 is 0.19999999999999996 in double, so 10 tokens keep 1, not 2, as in MAE.
        assertThat(Masking.randomPatches(0.8).kept(10)).isEqualTo(1);
        assertThat(Masking.randomPatches(0.8).masked(10)).isEqualTo(9);
    }

    @ParameterizedTest(name = "{0} blocks at {1} mask {2}")
    @CsvSource({
        "49, 0.6, 30",
        "36, 0.6, 22",
        "16, 0.5, 8",
        "6, 0.5, 3",
        "24, 0.6, 15"
    })
    void blockMaskingRoundsTheMaskedBlocksUp(int blocks, double ratio, int masked) {
        assertThat(Masking.blocks(32, ratio).maskedBlocks(blocks)).isEqualTo(masked);
    }

    @Test
    void blockMaskingRoundsUpInDoubleLikeSimMim() {
        // 100 * 0.55 is 55.00000000000001 in double, so SimMIM masks 56 blocks of 100, not 55.
        assertThat(Masking.blocks(32, 0.55).maskedBlocks(100)).isEqualTo(56);
    }

    @Test
    void eachPolicyDescribesItself() {
        assertThat(Masking.randomPatches(0.75).describe()).isEqualTo("random patches 0.75");
        assertThat(Masking.blocks(32, 0.6).describe()).isEqualTo("32x32 blocks 0.6");
        assertThat(Masking.explicit().describe()).isEqualTo("explicit mask");
    }

    @Test
    void randomPatchesMaskExactlyTheMaskedCountOfEveryImage() {
        RandomPatches masking = Masking.randomPatches(0.75);
        Random random = new Random(0);

        for (int image = 0; image < 20; image++) {
            assertThat(count(masking.sample(B16, random))).isEqualTo(masking.masked(196)).isEqualTo(147);
        }
    }

    @Test
    void theSameRandomStateGivesTheSameMask() {
        RandomPatches masking = Masking.randomPatches(0.6);

        boolean[] first = masking.sample(B16, new SplittableRandom(42));
        boolean[] again = masking.sample(B16, new SplittableRandom(42));
        boolean[] other = masking.sample(B16, new SplittableRandom(43));

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(Masking.blocks(32, 0.6).sample(B16, new Random(7)))
                .isEqualTo(Masking.blocks(32, 0.6).sample(B16, new Random(7)));
    }

    @Test
    void randomPatchesKeepTheTokensOfTheSmallestNoiseLikeMae() {
        TokenGrid grid = new TokenGrid(2, 5, 16);
        double[] noise = new double[10];
        Random replay = new Random(3);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = replay.nextFloat();
        }
        double[] sorted = noise.clone();
        Arrays.sort(sorted);
        int kept = Masking.randomPatches(0.75).kept(10);

        boolean[] mask = Masking.randomPatches(0.75).sample(grid, new Random(3));

        assertThat(kept).isEqualTo(2);
        for (int token = 0; token < 10; token++) {
            assertThat(mask[token]).as("token %d, noise %s", token, noise[token]).isEqualTo(noise[token] > sorted[kept - 1]);
        }
    }

    @Test
    void blockMaskingMasksWholeBlocksOfTheMaskPatch() {
        // 32 px blocks over 16 px patches: each block is 2x2 tokens, 7x7 blocks, ceil(49 * 0.6) = 30 masked.
        BlockMasking masking = Masking.blocks(32, 0.6);

        for (int seed = 0; seed < 10; seed++) {
            boolean[] mask = masking.sample(B16, new Random(seed));

            assertThat(maskedBlocks(mask, B16, 2)).isEqualTo(masking.maskedBlocks(49)).isEqualTo(30);
            assertThat(count(mask)).isEqualTo(30 * 2 * 2);
        }
    }

    @Test
    void blockMaskingLaysItsBlocksOutRowByRowOnANonSquareGrid() {
        // 24x16 px images in 4 px patches: 6 rows of 4 tokens; 8 px blocks are 2x2 tokens, 3x2 blocks.
        TokenGrid grid = new TokenGrid(6, 4, 4);
        BlockMasking masking = Masking.blocks(8, 0.5);
        masking.validate(grid);

        for (int seed = 0; seed < 10; seed++) {
            boolean[] mask = masking.sample(grid, new SplittableRandom(seed));

            assertThat(maskedBlocks(mask, grid, 2)).isEqualTo(3);
            assertThat(count(mask)).isEqualTo(12);
        }
    }

    @Test
    void explicitMaskingHasNoPolicyToSampleFrom() {
        assertThatThrownBy(() -> Masking.explicit().sample(B16, new Random(0)))
                .isInstanceOf(SpecException.class)
                .hasMessage("explicit masking has no policy to draw masks from: give the mask (or the noise)"
                        + " to the forward pass, or a source of masks to the pre-training (Pretrainer.masks)");
        Masking.explicit().validate(B16);
    }

    @Test
    void eachPolicyChecksItselfAgainstAGrid() {
        Masking.randomPatches(0.75).validate(B16);
        Masking.blocks(32, 0.6).validate(B16);

        assertThatThrownBy(() -> Masking.randomPatches(0.75).validate(new TokenGrid(1, 1, 16)))
                .isInstanceOf(SpecException.class)
                .hasMessage("mask ratio 0.75 keeps no token of 1");
        assertThatThrownBy(() -> Masking.blocks(24, 0.6).validate(B16))
                .isInstanceOf(SpecException.class)
                .hasMessage("mask patch 24 is not a multiple of model patch 16");
        assertThatThrownBy(() -> Masking.blocks(64, 0.6).validate(B16))
                .isInstanceOf(SpecException.class)
                .hasMessage("image height 224 is not a multiple of mask patch 64");
    }

    /** Masked tokens in {@code mask}. */
    private static int count(boolean[] mask) {
        return (int) IntStream.range(0, mask.length).filter(i -> mask[i]).count();
    }

    /**
     * The blocks of {@code scale x scale} tokens that are masked, after checking that every block is
     * masked whole or not at all.
     */
    private static int maskedBlocks(boolean[] mask, TokenGrid grid, int scale) {
        assertThat(mask).hasSize(grid.tokens());
        int masked = 0;
        for (int blockRow = 0; blockRow < grid.rows() / scale; blockRow++) {
            for (int blockColumn = 0; blockColumn < grid.columns() / scale; blockColumn++) {
                boolean first = mask[blockRow * scale * grid.columns() + blockColumn * scale];
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        int token = (blockRow * scale + dy) * grid.columns() + blockColumn * scale + dx;
                        assertThat(mask[token]).as("token %d of block (%d, %d)", token, blockRow, blockColumn)
                                .isEqualTo(first);
                    }
                }
                masked += first ? 1 : 0;
            }
        }
        return masked;
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                invalid("random ratio of one", "mask ratio 1.0 must be in (0, 1)",
                        () -> Masking.randomPatches(1.0)),
                invalid("random ratio of zero", "mask ratio 0.0 must be in (0, 1)",
                        () -> Masking.randomPatches(0)),
                invalid("negative random ratio", "mask ratio -0.5 must be in (0, 1)",
                        () -> Masking.randomPatches(-0.5)),
                invalid("NaN random ratio", "mask ratio NaN must be in (0, 1)",
                        () -> Masking.randomPatches(Double.NaN)),
                invalid("block ratio of one", "mask ratio 1.0 must be in (0, 1)",
                        () -> Masking.blocks(32, 1.0)),
                invalid("block ratio of zero", "mask ratio 0.0 must be in (0, 1)",
                        () -> Masking.blocks(32, 0)),
                invalid("zero mask patch", "mask patch 0 must be at least 1",
                        () -> Masking.blocks(0, 0.6)),
                invalid("counting kept tokens of nothing", "tokens 0 must be at least 1",
                        () -> Masking.randomPatches(0.75).kept(0)),
                invalid("counting masked blocks of nothing", "blocks 0 must be at least 1",
                        () -> Masking.blocks(32, 0.6).maskedBlocks(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void invalidPoliciesAreRejectedWithASentence(ThrowingCallable build, String message) {
        assertThatThrownBy(build).isInstanceOf(SpecException.class).hasMessage(message);
    }

    private static Arguments invalid(String name, String message, ThrowingCallable build) {
        return Arguments.of(named(name, build), message);
    }
}
