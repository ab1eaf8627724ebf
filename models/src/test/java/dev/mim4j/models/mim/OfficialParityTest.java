package dev.mim4j.models.mim;

import static dev.mim4j.models.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Golden;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Natives;
import dev.mim4j.models.weights.LoadReport;
import dev.mim4j.models.weights.PthWeights;
import dev.mim4j.models.weights.SafetensorsWeights;
import dev.mim4j.models.weights.StateDict;
import dev.mim4j.models.weights.WeightSource;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numeric parity with the authors' code: the golden cases (made by facebookresearch/mae and
 * microsoft/SimMIM, see golden/README.md) loaded into mim4j's recipes must give the same loss,
 * outputs and gradient of every trainable parameter, to 1e-5 relative in float32 on the CPU.
 */
class OfficialParityTest {

    static final double RTOL = 1e-5;

    /** The MAE case: ViT 32x32x3, patch 4, 64 wide, 2 deep, 4 heads; decoder 32 wide, 1 deep, 4 heads. */
    static final MimRecipe MAE = MimRecipe.mae(
            ViT.builder().image(32, 32, 3).patchSize(4).width(64).depth(2).heads(4).build())
            .toBuilder().decoder(Decoder.transformer(32, 1, 4)).build();

    /** The SimMIM case: the same sizes in SimMIM's ViT flavour, mask patch 8 (the preset's 32 is the whole image). */
    static final MimRecipe SIMMIM = MimRecipe.simmimBuilder(
            ViT.builder().image(32, 32, 3).patchSize(4).width(64).depth(2).heads(4)
                    .qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1).absolutePosition(AbsolutePosition.NONE)
                    .relativePosition(RelativePosition.SHARED_BIAS).initialization(Initialization.TRUNC_NORMAL)
                    .build())
            .masking(Masking.blocks(8, 0.6)).build();

    /**
     * The SimMIM-on-Swin case: 32x32x3, patch 2, width 32, depths 2-2-2, heads 2-4-8, window 4 (the last
     * stage's 4x4 grid takes the whole window, unshifted), mask patch 8, encoder stride 8.
     */
    static final MimRecipe SIMMIM_SWIN = MimRecipe.simmimBuilder(
            Swin.builder().image(32, 32, 3).patchSize(2).embedWidth(32).depths(2, 2, 2).heads(2, 4, 8).window(4)
                    .build())
            .masking(Masking.blocks(8, 0.6)).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"weights.pth", "weights.safetensors"})
    void maeMatchesTheOfficialCode(String weightsFile) throws Exception {
        MimModel model = MimModel.compile(MAE);
        try (PointerScope scope = new PointerScope();
                WeightSource weights = open(Golden.MAE, weightsFile);
                SafetensorsWeights io = SafetensorsWeights.open(Golden.path(Golden.MAE, "io.safetensors"))) {
            LoadReport report = model.load(weights, true);
            assertThat(report.isExact()).as(report.describe()).isTrue();

            MaskSample sample = MaskSample.fromNoise(io.read("input.noise"), 16);
            MimOutput out = model.forward(io.read("input.images"), sample);
            out.loss().backward();

            assertClose("loss", out.loss().reshape(1), io.read("output.loss"), RTOL, 0);
            assertClose("mask", out.mask(), io.read("output.mask"), 0, 0);
            assertClose("ids_restore", sample.idsRestore(), io.read("output.ids_restore"), 0, 0);
            assertClose("latent", out.latent(), io.read("output.latent"), RTOL, 1e-6);
            assertClose("pred", out.prediction(), io.read("output.pred"), RTOL, 1e-6);
            assertGradients(model, io, 0);
        }
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"weights.safetensors"})
    void simmimMatchesTheOfficialCode(String weightsFile) throws Exception {
        MimModel model = MimModel.compile(SIMMIM);
        try (PointerScope scope = new PointerScope();
                WeightSource weights = open(Golden.SIMMIM, weightsFile);
                SafetensorsWeights io = SafetensorsWeights.open(Golden.path(Golden.SIMMIM, "io.safetensors"))) {
            LoadReport report = model.load(weights, true);
            assertThat(report.isExact()).as(report.describe()).isTrue();

            MimOutput out = model.forward(io.read("input.images"), MaskSample.fromMask(io.read("input.mask")));
            out.loss().backward();

            assertClose("loss", out.loss().reshape(1), io.read("output.loss"), RTOL, 0);
            assertClose("reconstruction", out.reconstruction(), io.read("output.reconstruction"), RTOL, 1e-6);
            assertGradients(model, io, 0);
        }
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"weights.pth", "weights.safetensors"})
    void simmimOnSwinMatchesTheOfficialCode(String weightsFile) throws Exception {
        MimModel model = MimModel.compile(SIMMIM_SWIN);
        try (PointerScope scope = new PointerScope();
                WeightSource weights = open(Golden.SIMMIM_SWIN, weightsFile);
                SafetensorsWeights io = SafetensorsWeights.open(Golden.path(Golden.SIMMIM_SWIN, "io.safetensors"))) {
            LoadReport report = model.load(weights, true);
            assertThat(report.isExact()).as(report.describe()).isTrue();

            MimOutput out = model.forward(io.read("input.images"), MaskSample.fromMask(io.read("input.mask")));
            out.loss().backward();

            assertClose("loss", out.loss().reshape(1), io.read("output.loss"), RTOL, 0);
            // Six blocks of windows deep, float32 summation order moves outputs by ~1e-6 of their scale.
            Tensor reconstruction = io.read("output.reconstruction");
            assertClose("reconstruction", out.reconstruction(), reconstruction, RTOL, 1e-6 * maxAbs(reconstruction));
            // The first block's bias-table gradient is itself ~1e-6 (its contributions cancel), and carries
            // ~1e-11 of that noise: an absolute floor far below any gradient that moves a weight.
            assertGradients(model, io, 1e-10);
        }
    }

    private static WeightSource open(String caseName, String file) throws Exception {
        return file.endsWith(".pth") ? PthWeights.read(Golden.path(caseName, file))
                : SafetensorsWeights.open(Golden.path(caseName, file));
    }

    /**
     * Every trainable parameter has the official gradient (to 1e-5 relative, and 1e-6 of the tensor's
     * largest value or {@code floor} absolute), and no official gradient is left unmatched.
     */
    private static void assertGradients(MimModel model, SafetensorsWeights io, double floor) throws Exception {
        Map<String, Tensor> parameters = StateDict.parameters(model);
        TreeSet<String> ours = new TreeSet<>();
        for (Map.Entry<String, Tensor> entry : parameters.entrySet()) {
            Tensor parameter = entry.getValue();
            if (!parameter.requires_grad()) {
                continue;
            }
            String official = model.officialNames().official(entry.getKey());
            ours.add(official);
            Tensor expected = io.read("grad." + official);
            double scale = maxAbs(expected);
            assertClose("grad." + official, parameter.grad(), expected, RTOL, Math.max(1e-6 * scale, floor));
        }
        TreeSet<String> theirs = io.names().stream().filter(n -> n.startsWith("grad."))
                .map(n -> n.substring("grad.".length())).collect(Collectors.toCollection(TreeSet::new));
        assertThat(ours).isEqualTo(theirs);
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item_float();
    }
}
