package dev.mim4j.models.weights;

import static dev.mim4j.models.TensorAssert.assertEqual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.models.Golden;
import dev.mim4j.models.Natives;
import dev.mim4j.models.backbone.VisionTransformer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoadingTest {

    static final ViT MAE_TINY = ViT.builder().image(32, 32, 3).patchSize(4).width(64).depth(2).heads(4).build();
    static final ViT SIMMIM_TINY = MAE_TINY.toBuilder().qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
            .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS)
            .initialization(Initialization.TRUNC_NORMAL).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @Test
    void officialPthAndSafetensorsHoldIdenticalTensors() throws Exception {
        try (PointerScope scope = new PointerScope();
                PthWeights pth = PthWeights.read(Golden.path(Golden.MAE, "weights.pth"));
                SafetensorsWeights st = SafetensorsWeights.open(Golden.path(Golden.MAE, "weights.safetensors"))) {
            assertThat(pth.names()).containsExactlyInAnyOrderElementsOf(st.names()).contains("decoder_pred.weight");
            for (String name : st.names()) {
                assertThat(pth.shape(name)).as(name).containsExactly(st.shape(name));
                assertEqual(name, pth.read(name), st.read(name));
            }
        }
    }

    @Test
    void theOfficialMaeCheckpointLoadsIntoTheEncoderLeavingOnlyTheDecoderUnused() throws Exception {
        VisionTransformer vit = VisionTransformer.compile(MAE_TINY);
        try (PthWeights pth = PthWeights.read(Golden.path(Golden.MAE, "weights.pth"))) {
            LoadReport report = WeightLoader.lenient().load(vit, pth);
            assertThat(report.missing()).isEmpty();
            assertThat(report.mismatched()).isEmpty();
            assertThat(report.unexpected()).isNotEmpty().allMatch(n -> n.startsWith("decoder_") || n.equals("mask_token"));
            try (PointerScope scope = new PointerScope()) {
                assertEqual("blocks.1.mlp.fc2.weight", StateDict.of(vit).get("blocks.1.mlp.fc2.weight"),
                        pth.read("blocks.1.mlp.fc2.weight"));
            }
        }
    }

    @Test
    void theOfficialSimMimEncoderLoadsFromUnderItsPrefix() throws Exception {
        VisionTransformer vit = VisionTransformer.compile(SIMMIM_TINY);
        try (SafetensorsWeights st = SafetensorsWeights.open(Golden.path(Golden.SIMMIM, "weights.safetensors"))) {
            LoadReport report = WeightLoader.lenient().fromPrefix("encoder.").load(vit, st);
            assertThat(report.missing()).isEmpty();
            assertThat(report.mismatched()).isEmpty();
            assertThat(report.unexpected()).containsExactly("mask_token");
            try (PointerScope scope = new PointerScope()) {
                assertEqual("gamma", StateDict.of(vit).get("blocks.0.gamma_2"), st.read("encoder.blocks.0.gamma_2"));
            }
        }
    }

    @Test
    void aLenientLoadThatWouldLeaveTensorsAtRandomIsRefusedUnlessTheyAreNamed() throws Exception {
        ViT narrower = MAE_TINY.toBuilder().width(32).depth(1).build();
        VisionTransformer vit = VisionTransformer.compile(narrower);
        try (PointerScope scope = new PointerScope();
                SafetensorsWeights st = SafetensorsWeights.open(Golden.path(Golden.MAE, "weights.safetensors"))) {
            Tensor before = StateDict.of(vit).get("norm.weight").clone();
            assertThatThrownBy(() -> WeightLoader.lenient().load(vit, st))
                    .isInstanceOf(IncompatibleWeightsException.class)
                    .hasMessageStartingWith("checkpoint does not fill the model: ")
                    .hasMessageContaining("18 of its tensors would keep their initial values (")
                    .hasMessageContaining("patch_embed.proj.weight")
                    .hasMessageContaining("leavingAtInit");
            assertEqual("untouched", StateDict.of(vit).get("norm.weight"), before);

            LoadReport report = WeightLoader.lenient().leavingAtInit(name -> true).load(vit, st);
            assertThat(report.mismatched()).as("named, so left at their initial values").isNotEmpty();
        }
        VisionTransformer same = VisionTransformer.compile(MAE_TINY);
        try (SafetensorsWeights st = SafetensorsWeights.open(Golden.path(Golden.MAE, "weights.safetensors"))) {
            LoadReport report = WeightLoader.lenient().load(same, st);
            assertThat(report.missing()).as("the file holds the decoder too; every tensor of the encoder is filled")
                    .isEmpty();
            assertThat(report.unexpected()).contains("decoder_pred.weight");
        }
    }

    @Test
    void anImageGivenAsWeightsIsCalledAnImage(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("photo.safetensors");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        assertThatThrownBy(() -> SafetensorsWeights.open(png)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessage(png + ": is not a safetensors file (its header, after the 8-byte length, does not start"
                        + " with '{'): it is a PNG image; a checkpoint of mim4j is the .safetensors file a run writes");
        assertThatThrownBy(() -> SafetensorsWeights.open(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("path");
    }

    @Test
    void aStrictLoadOfAnotherArchitectureNamesEveryDifferenceAndChangesNothing() throws Exception {
        ViT narrower = MAE_TINY.toBuilder().width(32).depth(1).build();
        VisionTransformer vit = VisionTransformer.compile(narrower);
        try (PointerScope scope = new PointerScope();
                SafetensorsWeights st = SafetensorsWeights.open(Golden.path(Golden.MAE, "weights.safetensors"))) {
            Tensor before = StateDict.of(vit).get("norm.weight").clone();
            assertThatThrownBy(() -> WeightLoader.strict().load(vit, st))
                    .isInstanceOf(IncompatibleWeightsException.class)
                    .hasMessageContaining("checkpoint does not fit the model (nothing was changed)")
                    .hasMessageContaining("patch_embed.proj.weight: model [32, 3, 4, 4], checkpoint [64, 3, 4, 4]")
                    .hasMessageContaining("unexpected in the checkpoint:")
                    .hasMessageContaining("blocks.1.attn.qkv.weight");
            assertEqual("untouched", StateDict.of(vit).get("norm.weight"), before);
        }
    }

    @Test
    void exportedWeightsLoadBackExactly(@TempDir Path dir) throws Exception {
        VisionTransformer original = VisionTransformer.compile(SIMMIM_TINY);
        Path file = dir.resolve("vit.safetensors");
        SafetensorsExport.write(original, file, Map.of("spec", "simmim tiny"));
        try (SafetensorsFile written = SafetensorsFile.open(file)) {
            assertThat(written.metadata()).containsEntry("format", "pt").containsEntry("spec", "simmim tiny");
            assertThat(written.info("rel_pos_bias.relative_position_index").orElseThrow().dtype()).isEqualTo(DType.I64);
        }
        VisionTransformer copy = VisionTransformer.compile(SIMMIM_TINY);
        try (PointerScope scope = new PointerScope(); SafetensorsWeights st = SafetensorsWeights.open(file)) {
            LoadReport report = WeightLoader.strict().load(copy, st);
            assertThat(report.isExact()).isTrue();
            Map<String, Tensor> expected = StateDict.of(original);
            Map<String, Tensor> actual = StateDict.of(copy);
            assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
            expected.forEach((name, tensor) -> assertEqual(name, actual.get(name), tensor));
        }
    }

    @Test
    void aFileThatIsNotACheckpointIsRejectedWithItsPath(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pth"), "this is not a checkpoint");
        assertThatThrownBy(() -> PthWeights.read(junk))
                .hasMessage(junk + ": not a file written by torch.save (not a zip archive)");
        Path truncated = dir.resolve("truncated.pth");
        byte[] full = Files.readAllBytes(Golden.path(Golden.MAE, "weights.pth"));
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> PthWeights.read(truncated))
                .hasMessageStartingWith(truncated + ": could not read it as a torch.save file: ");
    }

    @Test
    void aPickleWhoseDictKeyContainsItselfIsRefusedNotHashedForever(@TempDir Path dir) throws Exception {
        // {l: 1} where l = [l]: a list that holds itself, as a dict key
        byte[] pickle = {(byte) 0x80, 2, '}', ']', 'q', 0, '(', 'h', 0, 'e', 'K', 1, 's', '.'};
        Path file = dir.resolve("loop.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }

        assertThatThrownBy(() -> PthWeights.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": could not read it as a torch.save file: a dict key that is not a string or a"
                        + " number");
    }
}
