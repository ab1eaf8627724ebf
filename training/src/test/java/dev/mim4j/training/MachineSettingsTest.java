package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineSettingsTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void byDefaultFloat32RunsOneLibtorchThreadAndBf16EveryCore() {
        MachineSettings automatic = MachineSettings.defaults();
        assertThat(automatic.threads()).isEqualTo(MachineSettings.AUTOMATIC_THREADS);
        assertThat(automatic.threadsFor(false)).isEqualTo(1);
        assertThat(automatic.threadsFor(true)).isEqualTo(CORES);
        assertThat(automatic.describe()).contains("automatic threads");
    }

    @Test
    void threadsThatWereChosenAreKeptInEitherPrecision() {
        MachineSettings chosen = MachineSettings.defaults().withThreads(3);
        assertThat(chosen.threadsFor(false)).isEqualTo(3);
        assertThat(chosen.threadsFor(true)).isEqualTo(3);
        assertThat(chosen.describe()).contains("3 threads");
    }

    @Test
    void bf16RunsWhereItWasAskedOnAGpuOrWhenForced() {
        MachineSettings settings = MachineSettings.defaults();
        assertThat(settings.runsBf16(false, true)).isFalse();
        assertThat(settings.runsBf16(true, false)).as("on a GPU").isTrue();
        assertThat(settings.runsBf16(true, true)).isEqualTo(!NativeBf16.isMissing());
        assertThat(settings.withBf16Forced(true).runsBf16(true, true)).isTrue();
        assertThat(settings.withBf16Forced(true).runsBf16(false, true)).as("forcing does not ask").isFalse();
    }
}
