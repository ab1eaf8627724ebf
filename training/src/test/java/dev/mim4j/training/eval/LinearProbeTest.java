package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** MAE's linear probe on features whose answer is known. */
class LinearProbeTest {

    /**
     * Twenty epochs of batches of 32 at a base rate of 20 (a rate of 2.5): LARS moves a matrix by about
     * {@code lr * 0.001} of its norm a step, so a run of a few hundred steps needs a large rate.
     */
    private static final LinearProbeConfig SHORT = new LinearProbeConfig(20, 32, 20, 2, 0, 0);

    @Test
    void linearlySeparableFeaturesAreLearnedInAFewEpochs() {
        Features train = Clusters.gaussian(3, 200, 16, 5.0, 1.0, 11);
        Features test = Clusters.gaussian(3, 100, 16, 5.0, 1.0, 12);
        List<EpochAccuracy> seen = new ArrayList<>();
        LinearProbeResult result = LinearProbe.train(train, test, 3, SHORT, seen::add);
        assertThat(result.top1()).isGreaterThanOrEqualTo(0.95);
        assertThat(result.top5()).isEqualTo(1.0);
        assertThat(result.batchSize()).isEqualTo(32);
        assertThat(result.learningRate()).isEqualTo(20.0 * 32 / 256);
        assertThat(result.count()).isEqualTo(300);
        assertThat(result.history()).hasSize(20).isEqualTo(seen);
        assertThat(result.history().get(0).epoch()).isZero();
        assertThat(result.history().get(19).trainLoss()).isLessThan(result.history().get(0).trainLoss() / 2);
        assertThat(result.history().get(19).testTop1()).isEqualTo(result.top1());
    }

    @Test
    void randomLabelsStayNearChance() {
        Features train = Clusters.noise(4, 400, 16, 13);
        Features test = Clusters.noise(4, 400, 16, 14);
        LinearProbeResult result = LinearProbe.train(train, test, 4, SHORT, null);
        assertThat(result.top1()).isBetween(0.15, 0.35);
    }

    @Test
    void theSameSeedGivesTheSameProbe() {
        Features train = Clusters.gaussian(2, 50, 8, 1.0, 1.0, 15);
        Features test = Clusters.gaussian(2, 50, 8, 1.0, 1.0, 16);
        LinearProbeConfig config = new LinearProbeConfig(2, 16, 0.1, 0.5, 0, 7);
        assertThat(LinearProbe.train(train, test, 2, config, null))
                .isEqualTo(LinearProbe.train(train, test, 2, config, null));
    }

    @Test
    void aBatchLargerThanTheDataIsCutToIt() {
        Features train = Clusters.gaussian(2, 10, 4, 3.0, 0.1, 17);
        Features test = Clusters.gaussian(2, 10, 4, 3.0, 0.1, 18);
        LinearProbeResult result = LinearProbe.train(train, test, 2, LinearProbeConfig.mae(1), null);
        assertThat(result.batchSize()).isEqualTo(20);
        assertThat(result.learningRate()).isEqualTo(0.1 * 20 / 256);
    }

    @Test
    void maeSettingsAndTheirChecks() {
        assertThat(LinearProbeConfig.mae(90)).isEqualTo(new LinearProbeConfig(90, 256, 0.1, 10, 0, 0));
        assertThat(LinearProbeConfig.mae(9).warmupEpochs()).isEqualTo(1.0);
        assertThatThrownBy(() -> new LinearProbeConfig(5, 1, 0.1, 1, 0, 0))
                .hasMessage("linear probe batch size 1 must be at least 2, as the head's BatchNorm needs two images");
        assertThatThrownBy(() -> new LinearProbeConfig(5, 32, 0.1, 6, 0, 0))
                .hasMessage("linear probe warm-up 6.0 epochs must be in [0, 5], the run's epochs");
        assertThatThrownBy(() -> new LinearProbeConfig(0, 32, 0.1, 0, 0, 0))
                .hasMessage("linear probe epochs 0 must be at least 1");
    }

    @Test
    void unlabelledOrMismatchedFeaturesAreRejected() {
        Features train = Clusters.gaussian(2, 5, 4, 3.0, 0.1, 19);
        Features unlabelled = new Features(train.values(), new int[10], null);
        Features labelledAsMinusOne = new Features(train.values(), new int[] {-1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, null);
        assertThatThrownBy(() -> LinearProbe.train(labelledAsMinusOne, unlabelled, 2, LinearProbeConfig.mae(1), null))
                .hasMessage("the train features have unlabelled images (label -1 at row 0); kNN and the linear probe"
                        + " need a labelled dataset");
        assertThatThrownBy(() -> LinearProbe.train(train, Clusters.gaussian(2, 5, 3, 3.0, 0.1, 20), 2,
                LinearProbeConfig.mae(1), null))
                .hasMessage("linear probe train features are 4 wide but the test features are 3; both must come from"
                        + " the same encoder and pooling");
    }
}
