package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private final LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 1e-5, 5, 45);

    @Test
    void warmsUpLinearlyThenFollowsAHalfCosineToTheMinimum() {
        assertThat(schedule.at(0)).isZero();
        assertThat(schedule.at(2.5)).isCloseTo(5e-4, within(1e-12));
        assertThat(schedule.at(5)).isCloseTo(1e-3, within(1e-12));
        assertThat(schedule.at(25)).isCloseTo(1e-5 + (1e-3 - 1e-5) * 0.5, within(1e-12));
        assertThat(schedule.at(45)).isCloseTo(1e-5, within(1e-12));
    }

    @Test
    void thePeakRateScalesWithTheEffectiveBatch() {
        TrainConfig mae = TrainConfig.mae(100, 512).toBuilder().accumulation(2).build();
        assertThat(mae.peakLearningRate()).isCloseTo(1.5e-4 * 1024 / 256, within(1e-15));
    }
}
