package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted run, resumed from its checkpoint, gives the same losses as an uninterrupted one (CPU). */
class ResumeTest {

    @Test
    void anInterruptedAndResumedRunMatchesAnUninterruptedOne(@TempDir Path dir) throws Exception {
        TrainConfig config = TinyRuns.config(3).toBuilder().checkpointEverySteps(5).keepCheckpoints(2)
                .accumulation(2).build();
        // 64 images, batch 8, accumulation 2: 4 steps per epoch, 12 steps
        List<Double> uninterrupted = losses(Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64),
                dir.resolve("whole")));
        assertThat(uninterrupted).hasSize(12);

        Path broken = dir.resolve("broken");
        List<Double> first = new ArrayList<>();
        Pretrainer interrupted = Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(64), broken)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics m) {
                        first.add(m.loss());
                        if (m.step() == 7) {
                            throw new IllegalStateException("simulated crash at step 7");
                        }
                    }
                });
        assertThatThrownBy(interrupted::run).hasMessage("simulated crash at step 7");
        assertThat(Checkpoints.latest(broken)).contains(Checkpoints.path(broken, 5));

        List<Double> resumed = losses(Pretrainer.resume(broken, TinyRuns.data(64), broken));
        assertThat(resumed).hasSize(7);
        List<Double> stitched = new ArrayList<>(first.subList(0, 5));
        stitched.addAll(resumed);
        assertThat(stitched).containsExactlyElementsOf(uninterrupted);
        assertThat(Checkpoints.readNormalization(broken).mean()).as("the input normalisation travels with the run")
                .containsExactly(TinyRuns.data(64).normalization().mean());
        assertThat(Files.list(broken).filter(p -> p.getFileName().toString().startsWith("checkpoint-")).count())
                .as("keep-last-2").isEqualTo(2);
    }

    private static List<Double> losses(Pretrainer trainer) throws Exception {
        List<Double> losses = new ArrayList<>();
        trainer.listener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                losses.add(m.loss());
            }
        }).run();
        return losses;
    }
}
