package dev.mim4j.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mim4j.dsl.recipe.MimRecipe;

/**
 * Spec JSON as a user or a damaged file hands it to {@link SpecJson#fromJson}: whatever the text, the
 * answer is a spec or a {@link SpecException}, and a spec read back writes and reads again to itself.
 *
 * <p>CI replays the kept inputs ({@code SpecJsonFuzzTestInputs/}); {@code scripts/fuzz.sh} fuzzes.
 */
class SpecJsonFuzzTest {

    private static final Class<?>[] TYPES = {MimRecipe.class, Backbone.class, ViT.class, Swin.class};

    @FuzzTest
    void readsASpecOrExplainsWhyNot(FuzzedDataProvider input) {
        Class<?> type = TYPES[input.consumeInt(0, TYPES.length - 1)];
        String json = input.consumeRemainingAsString();
        Object spec;
        try {
            spec = SpecJson.fromJson(json, type);
        } catch (SpecException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(SpecJson.fromJson(SpecJson.toJson(spec), type)).isEqualTo(spec);
    }
}
