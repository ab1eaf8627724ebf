package dev.mim4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void theVersionsAreTheBuildsAndThoseOfThePresetsOnTheClassPath() throws Exception {
        assertThat(Versions.mim4j()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(Versions.presets()).isEqualTo(Loader.getVersion("org.bytedeco", "pytorch"));
        assertThat(Versions.libtorch()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(Versions.describe()).startsWith("mim4j " + Versions.mim4j() + ", libtorch " + Versions.libtorch());
    }
}
