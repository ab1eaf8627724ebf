package dev.mim4j.models.mim;

import static dev.mim4j.models.TensorAssert.assertEqual;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import dev.mim4j.models.Natives;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.SafetensorsFile;
import dev.mim4j.models.weights.SafetensorsWeights;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a recipe model writes carries the official names and reads back exactly. */
class OfficialLayoutTest {

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MAE", "SIMMIM"})
    void writtenWeightsHaveTheOfficialNamesAndLoadBack(String which, @TempDir Path dir) throws Exception {
        MimModel original = MimModel.compile(which.equals("MAE") ? OfficialParityTest.MAE : OfficialParityTest.SIMMIM);
        Path file = dir.resolve("model.safetensors");
        SafetensorsExport.write(original.officialState(), file, Map.of("recipe", original.describe()));
        try (SafetensorsFile written = SafetensorsFile.open(file)) {
            if (which.equals("MAE")) {
                assertThat(written.names()).contains("cls_token", "blocks.1.attn.qkv.weight", "decoder_embed.weight",
                        "decoder_blocks.0.mlp.fc2.bias", "decoder_pos_embed", "decoder_pred.weight", "mask_token");
            } else {
                assertThat(written.names()).contains("encoder.mask_token", "encoder.blocks.0.attn.q_bias",
                        "encoder.rel_pos_bias.relative_position_index", "decoder.0.weight");
            }
            assertThat(written.names()).noneMatch(n -> n.startsWith("encoder.") && which.equals("MAE"));
        }
        MimModel copy = MimModel.compile(original.recipe().orElseThrow());
        try (PointerScope scope = new PointerScope(); SafetensorsWeights weights = SafetensorsWeights.open(file)) {
            LoadReport report = copy.load(weights, true);
            assertThat(report.isExact()).isTrue();
            Map<String, Tensor> expected = original.officialState();
            copy.officialState().forEach((name, tensor) -> assertEqual(name, tensor, expected.get(name)));
        }
    }
}
