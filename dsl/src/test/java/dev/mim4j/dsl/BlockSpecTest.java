package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.mim4j.dsl.part.AttentionPart;
import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.part.NormPart;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlockSpecTest {

    private static final AttentionPart FUSED = AttentionPart.multiHead(QkvBias.FUSED);
    private static final GeluMlp MLP4 = MlpPart.gelu(4.0);
    private static final NormPart LN = NormPart.layerNorm(1e-6);

    private static final BlockSpec BASE = new BlockSpec(768, 12, FUSED, MLP4, LN, 0, 0);

    @Test
    void headAndMlpWidthsFollowFromTheBlockWidth() {
        assertThat(BASE.headDim()).isEqualTo(64);
        assertThat(((GeluMlp) BASE.mlp()).hidden(BASE.width())).isEqualTo(3072);
    }

    @Test
    void mlpHiddenTruncatesLikeTimm() {
        BlockSpec block = new BlockSpec(100, 4, FUSED, MlpPart.gelu(2.555), LN, 0, 0);

        assertThat(((GeluMlp) block.mlp()).hidden(block.width())).isEqualTo(255);
    }

    @Test
    void zeroLayerScaleInitMeansNoLayerScale() {
        BlockSpec beitBlock = new BlockSpec(768, 12, AttentionPart.multiHead(QkvBias.Q_AND_V), MLP4, LN, 0.1, 0.1);

        assertThat(BASE.hasLayerScale()).isFalse();
        assertThat(beitBlock.hasLayerScale()).isTrue();
    }

    @Test
    void theBuiltInPartsDescribeThemselves() {
        assertThat(FUSED.describe()).isEqualTo("qkv FUSED");
        assertThat(MLP4.describe(768)).isEqualTo("mlp 3072");
        assertThat(LN.describe()).isEqualTo("layer norm eps 1.0E-6");
    }

    static Stream<Arguments> invalidBlocks() {
        return Stream.of(
                invalid("zero width", "width 0 must be at least 1",
                        () -> new BlockSpec(0, 12, FUSED, MLP4, LN, 0, 0)),
                invalid("zero heads", "heads 0 must be at least 1",
                        () -> new BlockSpec(768, 0, FUSED, MLP4, LN, 0, 0)),
                invalid("width not divisible by heads", "width 770 is not divisible by 12 heads",
                        () -> new BlockSpec(770, 12, FUSED, MLP4, LN, 0, 0)),
                invalid("negative mlp ratio", "mlp ratio -1.0 must be positive",
                        () -> new BlockSpec(768, 12, FUSED, MlpPart.gelu(-1.0), LN, 0, 0)),
                invalid("NaN mlp ratio", "mlp ratio NaN must be a finite number",
                        () -> new BlockSpec(768, 12, FUSED, MlpPart.gelu(Double.NaN), LN, 0, 0)),
                invalid("infinite mlp ratio", "mlp ratio Infinity must be a finite number",
                        () -> new BlockSpec(768, 12, FUSED, MlpPart.gelu(Double.POSITIVE_INFINITY), LN, 0, 0)),
                invalid("empty mlp",
                        "mlp ratio 0.1 gives 0 hidden units for width 4; it must give at least 1",
                        () -> new BlockSpec(4, 1, FUSED, MlpPart.gelu(0.1), LN, 0, 0)),
                invalid("no qkv bias choice", "qkv bias must be given",
                        () -> new BlockSpec(768, 12, AttentionPart.multiHead(null), MLP4, LN, 0, 0)),
                invalid("no attention", "attention must be given",
                        () -> new BlockSpec(768, 12, null, MLP4, LN, 0, 0)),
                invalid("no mlp", "mlp must be given",
                        () -> new BlockSpec(768, 12, FUSED, null, LN, 0, 0)),
                invalid("no norm", "norm must be given",
                        () -> new BlockSpec(768, 12, FUSED, MLP4, null, 0, 0)),
                invalid("negative layer scale", "layer scale init -0.1 must be zero or positive",
                        () -> new BlockSpec(768, 12, FUSED, MLP4, LN, -0.1, 0)),
                invalid("drop path of one", "drop path 1.0 must be in [0, 1)",
                        () -> new BlockSpec(768, 12, FUSED, MLP4, LN, 0, 1.0)),
                invalid("negative drop path", "drop path -0.1 must be in [0, 1)",
                        () -> new BlockSpec(768, 12, FUSED, MLP4, LN, 0, -0.1)),
                invalid("zero norm epsilon", "norm epsilon 0.0 must be positive",
                        () -> new BlockSpec(768, 12, FUSED, MLP4, NormPart.layerNorm(0), 0, 0)));
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
