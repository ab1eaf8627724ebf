package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.SpecException;
import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void bothLossesCountMaskedPatchesOnlyByDefaultAsBothPapersDo() {
        assertThat(Loss.mse()).isEqualTo(new PixelLoss(PixelLoss.Kind.MSE, true));
        assertThat(Loss.l1()).isEqualTo(new PixelLoss(PixelLoss.Kind.L1, true));
        assertThat(Loss.mse().maskedOnly()).isEqualTo(Loss.mse());
    }

    @Test
    void everywhereCountsVisiblePatchesTooAndKeepsTheKind() {
        PixelLoss l1Everywhere = Loss.l1().everywhere();

        assertThat(l1Everywhere).isEqualTo(new PixelLoss(PixelLoss.Kind.L1, false));
        assertThat(l1Everywhere.maskedOnly()).isEqualTo(Loss.l1());
    }

    @Test
    void eachLossDescribesItself() {
        assertThat(Loss.mse().describe()).isEqualTo("MSE on masked patches");
        assertThat(Loss.l1().everywhere().describe()).isEqualTo("L1 on all patches");
    }

    @Test
    void theKindMustBeGiven() {
        assertThatThrownBy(() -> new PixelLoss(null, true))
                .isInstanceOf(SpecException.class)
                .hasMessage("loss kind must be given");
    }
}
