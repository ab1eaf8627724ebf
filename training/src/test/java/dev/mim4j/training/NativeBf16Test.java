package dev.mim4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBf16Test {

    @TempDir
    Path folder;

    private Path cpuinfo(String text) throws IOException {
        return Files.writeString(folder.resolve("cpuinfo"), text);
    }

    @Test
    void anAvx2OnlyCpuLacksIt() throws IOException {
        assertThat(NativeBf16.isMissing(cpuinfo("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n"))).isTrue();
    }

    @Test
    void avx512Bf16OrAmxOrArmsBf16HasIt() throws IOException {
        assertThat(NativeBf16.isMissing(cpuinfo("flags\t\t: avx2 avx512f avx512_bf16\n"))).isFalse();
        assertThat(NativeBf16.isMissing(cpuinfo("flags\t\t: avx2 amx_bf16 amx_tile\n"))).isFalse();
        assertThat(NativeBf16.isMissing(cpuinfo("Features\t: fp asimd sve bf16 i8mm\n"))).isFalse();
    }

    @Test
    void flagsThatCannotBeReadSayNothingAgainstIt() throws IOException {
        assertThat(NativeBf16.isMissing(folder.resolve("absent"))).isFalse();
        assertThat(NativeBf16.isMissing(cpuinfo("processor\t: 0\n"))).isFalse();
    }
}
