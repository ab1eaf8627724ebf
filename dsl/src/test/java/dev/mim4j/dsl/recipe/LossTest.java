package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.SpecException;
import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void bothLossesCountMaskedPatchesOnlyByDefaultAsBothPapersDo() {
        assertThat(Loss.mse()).isEqualTo(new Loss(Loss.Kind.MSE, true));
        assertThat(Loss.l1()).isEqualTo(new Loss(Loss.Kind.L1, true));
        assertThat(Loss.mse().maskedOnly()).isEqualTo(Loss.mse());
    }

    @Test
    void everywhereCountsVisiblePatchesTooAndKeepsTheKind() {
        Loss l1Everywhere = Loss.l1().everywhere();

        assertThat(l1Everywhere).isEqualTo(new Loss(Loss.Kind.L1, false));
        assertThat(l1Everywhere.maskedOnly()).isEqualTo(Loss.l1());
    }

    @Test
    void eachLossDescribesItself() {
        assertThat(Loss.mse().describe()).isEqualTo("MSE on masked patches");
        assertThat(Loss.l1().everywhere().describe()).isEqualTo("L1 on all patches");
    }

    @Test
    void theKindMustBeGiven() {
        assertThatThrownBy(() -> new Loss(null, true))
                .isInstanceOf(SpecException.class)
                .hasMessage("loss kind must be given");
    }
}
