package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop asked for while a run trains (as a SIGTERM from a scheduler asks): the step under way is finished and
 * saved, and the run resumed from that checkpoint goes on as if it had never stopped.
 */
class GracefulStopTest {

    @Test
    void aStoppedRunSavesItsLastStepAndGoesOnExactlyFromIt(@TempDir Path dir) throws Exception {
        // 64 images, batch 8: 8 steps an epoch, 16 steps; no checkpoint before the epoch's end
        TrainConfig config = TinyRuns.config(2);
        List<Double> whole = new ArrayList<>();
        Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), dir.resolve("whole"))
                .listener(TinyRuns.stepLosses(whole, -1)).run();

        Path stopped = dir.resolve("stopped");
        StopRequest stop = new StopRequest();
        List<Double> losses = new ArrayList<>();
        RunStoppedException e = catchThrowableOfType(RunStoppedException.class,
                () -> Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), stopped).stopRequest(stop)
                        .listener(TinyRuns.stepLosses(losses, -1))
                        .listener(new TrainingListener() {
                            @Override
                            public void onStep(StepMetrics m) {
                                if (m.step() == 5) {
                                    stop.request("SIGTERM");
                                }
                            }
                        }).run());

        assertThat(e.step()).isEqualTo(5);
        assertThat(e.reason()).isEqualTo("SIGTERM");
        assertThat(e.checkpoint()).contains(Checkpoints.path(stopped, 5));
        assertThat(e).hasMessage("stopped by SIGTERM after step 5 of 16; " + Checkpoints.path(stopped, 5)
                + " holds the run up to there");

        Pretrainer.resume(stopped, TinyRuns.data(64), stopped).listener(TinyRuns.stepLosses(losses, -1)).run();
        assertThat(losses).containsExactlyElementsOf(whole);
    }

    @Test
    void aStopAskedForInAnEpochsLastStepLetsTheEpochEndFirst(@TempDir Path dir) {
        StopRequest stop = new StopRequest();
        List<Integer> epochsEnded = new ArrayList<>();
        RunStoppedException e = catchThrowableOfType(RunStoppedException.class,
                () -> Pretrainer.start(TinyRuns.MAE, TinyRuns.config(2), TinyRuns.data(64), dir).stopRequest(stop)
                        .listener(new TrainingListener() {
                            @Override
                            public void onStep(StepMetrics m) {
                                if (m.step() == 8) { // the first epoch's last
                                    stop.request("SIGTERM");
                                }
                            }

                            @Override
                            public void onEpochEnd(int epoch, double meanLoss) {
                                epochsEnded.add(epoch);
                            }
                        }).run());

        assertThat(e.step()).isEqualTo(8);
        assertThat(epochsEnded).as("the epoch's end, with its report, its work and its checkpoint").containsExactly(0);
        assertThat(e.checkpoint()).contains(Checkpoints.path(dir, 8));
    }

    @Test
    void aStopAskedForBeforeTheFirstStepSavesNothingAndFreesTheFolder(@TempDir Path dir) throws Exception {
        StopRequest stop = new StopRequest();
        stop.request("SIGINT");
        assertThat(stop.request("SIGTERM")).isFalse();

        assertThatThrownBy(() -> Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(64), dir)
                .stopRequest(stop).run())
                .isInstanceOf(RunStoppedException.class)
                .hasMessage("stopped by SIGINT after step 0 of 8; no step had been trained, so there was nothing to"
                        + " save");
        assertThat(Checkpoints.latest(dir)).isEmpty();

        RunSummary again = Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(64), dir).run();
        assertThat(again.steps()).isEqualTo(8);
    }
}
