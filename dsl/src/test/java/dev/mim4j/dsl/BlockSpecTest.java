package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlockSpecTest {

    private static final BlockSpec BASE = new BlockSpec(768, 12, 4.0, QkvBias.FUSED, 0, 0, 1e-6);

    @Test
    void headAndMlpWidthsFollowFromTheBlockWidth() {
        assertThat(BASE.headDim()).isEqualTo(64);
        assertThat(BASE.mlpHidden()).isEqualTo(3072);
    }

    @Test
    void mlpHiddenTruncatesLikeTimm() {
        BlockSpec block = new BlockSpec(100, 4, 2.555, QkvBias.FUSED, 0, 0, 1e-6);

        assertThat(block.mlpHidden()).isEqualTo(255);
    }

    @Test
    void zeroLayerScaleInitMeansNoLayerScale() {
        BlockSpec beitBlock = new BlockSpec(768, 12, 4.0, QkvBias.Q_AND_V, 0.1, 0.1, 1e-6);

        assertThat(BASE.hasLayerScale()).isFalse();
        assertThat(beitBlock.hasLayerScale()).isTrue();
    }

    static Stream<Arguments> invalidBlocks() {
        return Stream.of(
                invalid("zero width", "block width 0 must be at least 1",
                        () -> new BlockSpec(0, 12, 4.0, QkvBias.FUSED, 0, 0, 1e-6)),
                invalid("zero heads", "block heads 0 must be at least 1",
                        () -> new BlockSpec(768, 0, 4.0, QkvBias.FUSED, 0, 0, 1e-6)),
                invalid("width not divisible by heads", "block width 770 is not divisible by 12 heads",
                        () -> new BlockSpec(770, 12, 4.0, QkvBias.FUSED, 0, 0, 1e-6)),
                invalid("negative mlp ratio", "mlp ratio -1.0 must be positive",
                        () -> new BlockSpec(768, 12, -1.0, QkvBias.FUSED, 0, 0, 1e-6)),
                invalid("NaN mlp ratio", "mlp ratio NaN must be a finite number",
                        () -> new BlockSpec(768, 12, Double.NaN, QkvBias.FUSED, 0, 0, 1e-6)),
                invalid("infinite mlp ratio", "mlp ratio Infinity must be a finite number",
                        () -> new BlockSpec(768, 12, Double.POSITIVE_INFINITY, QkvBias.FUSED, 0, 0, 1e-6)),
                invalid("empty mlp",
                        "mlp ratio 0.1 gives 0 hidden units for width 4; it must give at least 1",
                        () -> new BlockSpec(4, 1, 0.1, QkvBias.FUSED, 0, 0, 1e-6)),
                invalid("no qkv bias choice", "qkv bias must be given",
                        () -> new BlockSpec(768, 12, 4.0, null, 0, 0, 1e-6)),
                invalid("negative layer scale", "layer scale init -0.1 must be zero or positive",
                        () -> new BlockSpec(768, 12, 4.0, QkvBias.FUSED, -0.1, 0, 1e-6)),
                invalid("drop path of one", "drop path 1.0 must be in [0, 1)",
                        () -> new BlockSpec(768, 12, 4.0, QkvBias.FUSED, 0, 1.0, 1e-6)),
                invalid("negative drop path", "drop path -0.1 must be in [0, 1)",
                        () -> new BlockSpec(768, 12, 4.0, QkvBias.FUSED, 0, -0.1, 1e-6)),
                invalid("zero norm epsilon", "norm epsilon 0.0 must be positive",
                        () -> new BlockSpec(768, 12, 4.0, QkvBias.FUSED, 0, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBlocks")
    void invalidBlocksAreRejectedWithASentence(ThrowingCallable build, String message) {
        assertThatThrownBy(build).isInstanceOf(SpecException.class).hasMessage(message);
    }

    private static Arguments invalid(String name, String message, ThrowingCallable build) {
        return Arguments.of(named(name, build), message);
    }
}
