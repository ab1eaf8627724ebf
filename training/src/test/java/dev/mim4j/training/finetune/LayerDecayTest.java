package dev.mim4j.training.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.ViT;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.weights.StateDict;
import org.junit.jupiter.api.Test;

class LayerDecayTest {

    /** A 12-block ViT with BEiT's shared relative bias and a learned position table, small enough to build at once. */
    private static final ViT VIT = ViT.builder().image(8, 8, 1).patchSize(4).width(8).depth(12).heads(2)
            .absolutePosition(AbsolutePosition.LEARNED).relativePosition(RelativePosition.SHARED_BIAS).build();

    @Test
    void earlierLayersLearnSlowerByOneFactorPerLayerAsTheEncoderNumbersThem() {
        Classifier classifier = new Classifier(VisionTransformer.compile(VIT), 3, ClassifierPooling.MEAN);
        Map<String, Double> scales = LayerDecay.scales(StateDict.parameters(classifier).keySet(),
                classifier.parameterRoles(), 0.75);

        assertThat(scales.get("encoder.cls_token")).isCloseTo(Math.pow(0.75, 13), within(1e-12));
        assertThat(scales.get("encoder.pos_embed")).isCloseTo(Math.pow(0.75, 13), within(1e-12));
        assertThat(scales.get("encoder.patch_embed.proj.weight")).isCloseTo(Math.pow(0.75, 13), within(1e-12));
        assertThat(scales.get("encoder.blocks.0.attn.qkv.weight")).isCloseTo(Math.pow(0.75, 12), within(1e-12));
        assertThat(scales.get("encoder.blocks.11.mlp.fc2.bias")).isCloseTo(0.75, within(1e-12));
        assertThat(scales.get("encoder.norm.weight")).isEqualTo(1.0);
        assertThat(scales.get("fc_norm.weight")).isEqualTo(1.0);
        assertThat(scales.get("head.weight")).isEqualTo(1.0);
        assertThat(scales.get("encoder.rel_pos_bias.relative_position_bias_table")).as("BEiT's: the last layer")
                .isEqualTo(1.0);
    }
}
