package dev.mim4j.models.transfer;

import static dev.mim4j.models.TensorAssert.assertClose;
import static dev.mim4j.models.TensorAssert.assertShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.weights.IncompatibleWeightsException;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A pre-trained encoder moves into one at another window or image size as the official fine-tuning moves it. */
class EncoderTransferTest {

    @BeforeAll
    static void natives() {
        Natives.threads(1);
    }

    @Test
    void aSwinPretrainedAtOneWindowFineTunesAtAnotherWithItsBiasTablesResized() {
        Swin small = Swin.builder().image(24, 24, 3).patchSize(2).embedWidth(16).depths(2, 2).heads(2, 4).window(3)
                .build();
        Swin large = small.toBuilder().window(6).build();
        VisionTransformer pretrained = VisionTransformer.compile(small, MaskedTokens.REPLACE_WITH_TOKEN);
        VisionTransformer target = VisionTransformer.compile(large);
        Map<String, Tensor> before = StateDict.of(target);
        Tensor targetMask = before.get("layers.0.blocks.1.attn_mask").clone();

        EncoderTransfer.copy(pretrained, target);

        Map<String, Tensor> from = StateDict.of(pretrained);
        Map<String, Tensor> to = StateDict.of(target);
        String table = "layers.0.blocks.0.attn.relative_position_bias_table";
        assertShape(to.get(table), 11 * 11, 2);
        float[] expected = RelativeBiasResampling.resize(Tensors.toFloats(from.get(table)), 5, 11, 2);
        assertClose(table, to.get(table), Tensors.floats(expected, 121, 2), 0, 0);
        assertClose("a weight of the same shape", to.get("layers.1.blocks.0.attn.qkv.weight"),
                from.get("layers.1.blocks.0.attn.qkv.weight"), 0, 0);
        assertClose("the target's own shifted-window mask", to.get("layers.0.blocks.1.attn_mask"), targetMask, 0, 0);
    }

    @Test
    void aViTsLearnedPositionsAreResampledOverTheNewGridAndItsClassRowKept() {
        ViT base = ViT.builder().image(16, 16, 1).patchSize(4).width(32).depth(1).heads(2)
                .absolutePosition(AbsolutePosition.LEARNED).build();
        VisionTransformer pretrained = VisionTransformer.compile(base);
        VisionTransformer target = VisionTransformer.compile(base.toBuilder().image(32, 32, 1).build());
        Tensor positions = StateDict.of(pretrained).get("pos_embed");
        positions.detach().fill_(new Scalar(0.25));
        positions.detach().narrow(1, 0, 1).fill_(new Scalar(-1.0));

        EncoderTransfer.copy(pretrained, target);

        Tensor resampled = StateDict.of(target).get("pos_embed");
        assertShape(resampled, 1, 1 + 8 * 8, 32);
        assertThat(Tensors.toFloats(resampled.narrow(1, 0, 1))).as("the class token's row").containsOnly(-1f);
        float[] grid = Tensors.toFloats(resampled.narrow(1, 1, 64));
        for (float value : grid) {
            assertThat(value).as("a constant table stays constant under bicubic resampling").isCloseTo(0.25f,
                    within(1e-6f));
        }
    }

    @Test
    void anEncoderOfAnotherWidthIsRefusedWithWhatDoesNotFit() {
        ViT base = ViT.builder().image(16, 16, 1).patchSize(4).width(32).depth(1).heads(2).build();
        assertThatThrownBy(() -> EncoderTransfer.copy(VisionTransformer.compile(base),
                VisionTransformer.compile(base.toBuilder().width(64).build())))
                .isInstanceOf(IncompatibleWeightsException.class)
                .hasMessageContaining("patch_embed.proj.weight");
    }
}
