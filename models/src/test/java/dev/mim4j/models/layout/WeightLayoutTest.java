package dev.mim4j.models.layout;

import static dev.mim4j.models.TensorAssert.assertEqual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.models.Golden;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.checkpoint.EncoderCheckpoint;
import dev.mim4j.models.transfer.TensorFilter;
import dev.mim4j.models.weights.IncompatibleWeightsException;
import dev.mim4j.models.weights.PthWeights;
import dev.mim4j.models.weights.SafetensorsExport;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight layouts as values: each writes an encoder's state under its names and reads it back into another
 * encoder, tensor for tensor, and the official checkpoints read through the layout detected from their names.
 */
class WeightLayoutTest {

    private static final ViT MAE_VIT = ViT.builder().image(32, 32, 3).patchSize(4).width(64).depth(2).heads(4).build();
    private static final Swin SWIN = Swin.builder().image(32, 32, 3).patchSize(2).embedWidth(16).depths(2, 2)
            .heads(2, 4).window(4).build();

    @Test
    void huggingFaceViTMaeNamesAreTheConversionScriptsAndReadBack(@TempDir Path dir) throws Exception {
        VisionTransformer written = seeded(MAE_VIT, 1);
        Map<String, Tensor> ours = StateDict.of(written);
        Map<String, Tensor> theirs = WeightLayout.HUGGING_FACE.fromEncoder(ours);

        assertThat(theirs.keySet()).contains("vit.embeddings.cls_token", "vit.embeddings.position_embeddings",
                "vit.embeddings.patch_embeddings.projection.weight", "vit.encoder.layer.0.layernorm_before.weight",
                "vit.encoder.layer.0.attention.attention.query.weight", "vit.encoder.layer.0.attention.attention.key.bias",
                "vit.encoder.layer.1.attention.attention.value.weight", "vit.encoder.layer.1.attention.output.dense.bias",
                "vit.encoder.layer.1.layernorm_after.bias", "vit.encoder.layer.1.intermediate.dense.weight",
                "vit.encoder.layer.1.output.dense.weight", "vit.layernorm.weight")
                .allMatch(name -> name.startsWith("vit."));
        // the fused qkv is query, key, value along its rows, as the conversion script slices it
        try (PointerScope scope = new PointerScope()) {
            assertEqual("key rows", theirs.get("vit.encoder.layer.0.attention.attention.key.weight"),
                    ours.get("blocks.0.attn.qkv.weight").narrow(0, 64, 64));
        }
        assertReadsBack(theirs, dir, MAE_VIT, written, WeightLayout.HUGGING_FACE);
    }

    @Test
    void huggingFaceSwinNamesAreTheConversionScriptsAndReadBack(@TempDir Path dir) throws Exception {
        VisionTransformer written = seeded(SWIN, 2);
        Map<String, Tensor> theirs = WeightLayout.HUGGING_FACE.fromEncoder(StateDict.of(written));

        assertThat(theirs.keySet()).contains("swin.embeddings.patch_embeddings.projection.weight",
                "swin.embeddings.norm.bias", "swin.encoder.layers.0.blocks.1.layernorm_before.weight",
                "swin.encoder.layers.0.blocks.0.attention.self.query.weight",
                "swin.encoder.layers.0.blocks.0.attention.self.relative_position_bias_table",
                "swin.encoder.layers.0.blocks.0.attention.output.dense.weight",
                "swin.encoder.layers.1.blocks.1.intermediate.dense.bias", "swin.encoder.layers.1.blocks.1.output.dense.bias",
                "swin.encoder.layers.0.downsample.reduction.weight", "swin.encoder.layers.0.downsample.norm.weight",
                "swin.layernorm.weight")
                .noneMatch(name -> name.contains("attn_mask"));
        assertReadsBack(theirs, dir, SWIN, written, WeightLayout.HUGGING_FACE);
    }

    @Test
    void timmHoldsASwinsPatchMergingInTheNextStageAndSavesNoBuffers(@TempDir Path dir) throws Exception {
        VisionTransformer written = seeded(SWIN, 3);
        Map<String, Tensor> theirs = WeightLayout.TIMM.fromEncoder(StateDict.of(written));

        assertThat(theirs).containsKeys("layers.1.downsample.reduction.weight", "layers.1.downsample.norm.bias",
                "layers.0.blocks.0.attn.qkv.weight", "norm.weight")
                .doesNotContainKeys("layers.0.downsample.reduction.weight");
        assertThat(theirs.keySet()).noneMatch(name -> name.contains("relative_position_index")
                || name.contains("attn_mask"));
        assertReadsBack(theirs, dir, SWIN, written, WeightLayout.TIMM);
    }

    @Test
    void theOfficialCheckpointsReadThroughTheLayoutTheirNamesFollow() throws Exception {
        EncoderCheckpoint mae = EncoderCheckpoint.load(Golden.path(Golden.MAE, "weights.pth"), MAE_VIT);
        assertThat(mae.layout()).isEqualTo(WeightLayout.MAE);
        assertThat(mae.report().unexpected()).isNotEmpty().allMatch(n -> n.startsWith("decoder_") || n.equals("mask_token"));
        try (PointerScope scope = new PointerScope(); PthWeights pth = PthWeights.read(Golden.path(Golden.MAE, "weights.pth"))) {
            assertEqual("fc2", StateDict.of(mae.encoder().module()).get("blocks.1.mlp.fc2.weight"),
                    pth.read("blocks.1.mlp.fc2.weight"));
        }
        ViT simmimVit = MAE_VIT.toBuilder().qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
                .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS)
                .initialization(Initialization.TRUNC_NORMAL).build();
        EncoderCheckpoint simmim = EncoderCheckpoint.load(Golden.path(Golden.SIMMIM, "weights.safetensors"), simmimVit);
        assertThat(simmim.layout()).isEqualTo(WeightLayout.SIMMIM);
        assertThat(simmim.report().missing()).isEmpty();
    }

    @Test
    void atAnotherImageSizeTheLearnedPositionsAreResampledAndTheReportSaysSo(@TempDir Path dir) throws Exception {
        ViT learned = MAE_VIT.toBuilder().absolutePosition(AbsolutePosition.LEARNED).build();
        Path file = dir.resolve("at32.safetensors");
        SafetensorsExport.write(StateDict.of(seeded(learned, 4)), file, Map.of());

        EncoderCheckpoint larger = EncoderCheckpoint.load(file, learned.toBuilder().image(48, 48, 3).build());
        assertThat(larger.report().adapted()).extracting(Object::toString)
                .containsExactly("pos_embed: model [1, 145, 64], checkpoint [1, 65, 64]");
        WeightLayout exact = WeightLayout.MAE.withFilter(TensorFilter.SAME_SHAPE);
        assertThat(EncoderCheckpoint.load(file, learned, exact).report().adapted()).isEmpty();
        assertThatThrownBy(() -> EncoderCheckpoint.load(file, learned.toBuilder().image(48, 48, 3).build(), exact))
                .isInstanceOf(IncompatibleWeightsException.class).hasMessageContaining("(pos_embed)");
    }

    @Test
    void namesOfNoKnownLayoutAreRefusedWithWhatWasFound() {
        assertThatThrownBy(() -> WeightLayout.detect(List.of("backbone.stem.weight", "head.bias")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backbone.stem.weight, head.bias")
                .hasMessageContaining("none of the layouts known");
        assertThat(WeightLayout.detect(List.of("patch_embed.proj.weight", "blocks.0.ls1.gamma")))
                .isEqualTo(WeightLayout.TIMM);
        assertThat(WeightLayout.detect(List.of("encoder.patch_embed.proj.weight"))).isEqualTo(WeightLayout.SIMMIM);
        assertThat(WeightLayout.detect(List.of("swin.embeddings.norm.weight"))).isEqualTo(WeightLayout.HUGGING_FACE);
    }

    @Test
    void aFileThatLacksATensorOfTheEncoderIsRefused(@TempDir Path dir) throws Exception {
        Map<String, Tensor> theirs = WeightLayout.HUGGING_FACE.fromEncoder(StateDict.of(seeded(MAE_VIT, 5)));
        theirs.remove("vit.encoder.layer.1.attention.attention.value.bias");
        Path file = dir.resolve("lacking.safetensors");
        SafetensorsExport.write(theirs, file, Map.of());
        assertThatThrownBy(() -> EncoderCheckpoint.load(file, MAE_VIT)).isInstanceOf(IncompatibleWeightsException.class)
                .hasMessageContaining("would keep their initial values (blocks.1.attn.qkv.bias)");
    }

    private static VisionTransformer seeded(Backbone backbone, long seed) {
        torch.manual_seed(seed);
        return VisionTransformer.compile(backbone);
    }

    /** Written under the layout's names, read back by detection into another encoder: every tensor equal. */
    private static void assertReadsBack(Map<String, Tensor> theirs, Path dir, Backbone backbone,
            VisionTransformer written, WeightLayout expected) throws Exception {
        Path file = dir.resolve("weights.safetensors");
        SafetensorsExport.write(theirs, file, Map.of());
        EncoderCheckpoint read = EncoderCheckpoint.load(file, backbone);
        assertThat(read.layout()).isEqualTo(expected);
        assertThat(read.report().unexpected()).isEmpty();
        Map<String, Tensor> back = StateDict.of(read.encoder().module());
        try (PointerScope scope = new PointerScope(); SafetensorsWeights st = SafetensorsWeights.open(file)) {
            StateDict.of(written).forEach((name, tensor) -> assertEqual(name, back.get(name), tensor));
            assertThat(st.names()).hasSize(theirs.size());
        }
    }
}
