package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.mim4j.dsl.SpecException;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MaskingTest {

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
