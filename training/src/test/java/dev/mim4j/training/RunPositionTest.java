package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The arithmetic of a running loop's place: epochs of micro-batches, windows of them, shards. */
class RunPositionTest {

    /** Epochs of 4 micro-batches, windows of 2, 3 epochs; rank 1 of 2. */
    private static RunPosition at(TrainingPosition start) {
        return new RunPosition(start, 4, 2, 12, 1, 2);
    }

    @Test
    void windowsAndEpochsCloseWhereTheirMicroBatchesEnd() {
        RunPosition at = at(TrainingPosition.start());
        assertThat(at.atWindowStart()).isTrue();
        at.trained(8);
        assertThat(at.atWindowStart()).isFalse();
        assertThat(at.randomPosition()).as("micro-batch 1 of rank 1 among 2").isEqualTo(3);
        at.trained(16);
        at.stepped(0.5);
        at.trained(24);
        at.trained(32);
        at.stepped(1.5);
        assertThat(at.atEpochEnd()).isTrue();
        assertThat(at.epochLoss()).isEqualTo(1.0);
        assertThat(at.epoch()).isEqualTo(1);
        assertThat(at.fractionalEpoch()).isEqualTo(1.0);
    }

    @Test
    void atAnEpochsEndTheNextImageIsTheFirstOfTheNextEpoch() {
        RunPosition at = at(TrainingPosition.start());
        for (int i = 1; i <= 4; i++) {
            at.trained(8 * i);
        }
        assertThat(at.imagePosition()).isZero();
        assertThat(at.saved(2).epochPosition()).isZero();
        assertThat(at.saved(2).nextMicroBatch()).isEqualTo(4);
    }

    @Test
    void anEpochEndedEarlyByUnreadableImagesStartsTheNextFromItsFirstImage() {
        RunPosition at = at(TrainingPosition.start());
        at.trained(9);
        at.endEpochEarly();
        assertThat(at.microBatch()).isEqualTo(4);
        assertThat(at.imagePosition()).isZero();
    }

    @Test
    void aRunCutShortInsideItsLastEpochKeepsTheImageReached() {
        RunPosition at = new RunPosition(TrainingPosition.start(), 4, 2, 6, 0, 1);
        for (int i = 1; i <= 6; i++) {
            at.trained(8 * i);
        }
        assertThat(at.finished()).isTrue();
        assertThat(at.atEpochEnd()).isTrue();
        assertThat(at.saved(3).epochPosition()).isEqualTo(48);
    }

    @Test
    void aResumedPositionAtAnEpochsStartReadsItsFirstImage() {
        RunPosition at = at(new TrainingPosition(2, 4, 32, 0, 2));
        assertThat(at.imagePosition()).as("a position written at an epoch's start before it was kept 0").isZero();
        assertThat(at.epoch()).isEqualTo(1);
        assertThat(at.batchInEpoch()).isZero();
    }
}
