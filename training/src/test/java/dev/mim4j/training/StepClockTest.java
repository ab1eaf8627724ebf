package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepClockTest {

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Test
    void aLapIsTheStepsTimeWithTheWaitForTheLoaderInsideIt() throws InterruptedException {
        StepClock clock = new StepClock();
        long waiting = System.nanoTime();
        sleep(20);
        clock.waitedSince(waiting);
        sleep(20);
        StepClock.Lap lap = clock.lap();
        assertThat(lap.waitedSeconds()).isGreaterThanOrEqualTo(0.020).isLessThan(lap.seconds());
        assertThat(lap.seconds()).isGreaterThanOrEqualTo(0.040);
    }

    @Test
    void theNextLapStartsWithNoWaitFromTheLastOne() throws InterruptedException {
        StepClock clock = new StepClock();
        long waiting = System.nanoTime();
        sleep(20);
        clock.waitedSince(waiting);
        clock.lap();
        assertThat(clock.lap().waitedSeconds()).isZero();
        clock.waitedSince(System.nanoTime() - 5_000_000_000L);
        sleep(20);
        clock.restart();
        StepClock.Lap afterRestart = clock.lap();
        assertThat(afterRestart.waitedSeconds()).as("a restart clears the wait too").isZero();
        assertThat(afterRestart.seconds()).isLessThan(0.020);
    }
}
