package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.Mim4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs on one output folder: the second is refused with the first one's pid, and the folder frees up after. */
class OutputLockTest {

    @Test
    void aSecondRunOnTheSameFolderIsRefusedWhileTheFirstGoesOn(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("run");
        List<Throwable> refused = new ArrayList<>();
        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(16), output).listener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                if (m.step() == 1) {
                    try {
                        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(16), output).run();
                    } catch (Exception e) {
                        refused.add(e);
                    }
                }
            }
        }).run();

        assertThat(refused).singleElement().satisfies(e -> assertThat(e)
                .isInstanceOf(Mim4jException.class)
                .hasMessage(output + " is the output folder of a run that is still going (pid "
                        + ProcessHandle.current().pid() + "): wait for it to end, or choose another output folder"));
        assertThat(Checkpoints.latest(output)).as("the first run's checkpoint is untouched").isPresent();
    }

    @Test
    void aLockLeftByAnEndedRunDoesNotBlock(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("run");
        Files.createDirectories(output);
        Files.writeString(output.resolve(OutputLock.FILE), "12345");

        Pretrainer.start(TinyRuns.MAE, TinyRuns.config(1), TinyRuns.data(16), output).run();

        assertThat(Files.readString(output.resolve(OutputLock.FILE)))
                .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        try (OutputLock again = OutputLock.take(output)) {
            assertThat(again).as("released when the run ended").isNotNull();
        }
    }
}
