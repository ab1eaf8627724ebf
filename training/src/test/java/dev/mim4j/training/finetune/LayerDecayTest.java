package dev.mim4j.training.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LayerDecayTest {

    @Test
    void earlierLayersLearnSlowerByOneFactorPerLayer() {
        Map<String, Double> scales = LayerDecay.scales(List.of("encoder.cls_token", "encoder.patch_embed.proj.weight",
                "encoder.blocks.0.attn.qkv.weight", "encoder.blocks.11.mlp.fc2.bias", "encoder.norm.weight",
                "encoder.rel_pos_bias.relative_position_bias_table",
                "fc_norm.weight", "head.weight"), 12, 0.75);
        assertThat(scales.get("encoder.cls_token")).isCloseTo(Math.pow(0.75, 13), within(1e-12));
        assertThat(scales.get("encoder.patch_embed.proj.weight")).isCloseTo(Math.pow(0.75, 13), within(1e-12));
        assertThat(scales.get("encoder.blocks.0.attn.qkv.weight")).isCloseTo(Math.pow(0.75, 12), within(1e-12));
        assertThat(scales.get("encoder.blocks.11.mlp.fc2.bias")).isCloseTo(0.75, within(1e-12));
        assertThat(scales.get("encoder.norm.weight")).isEqualTo(1.0);
        assertThat(scales.get("head.weight")).isEqualTo(1.0);
        assertThat(scales.get("encoder.rel_pos_bias.relative_position_bias_table")).as("BEiT's: the last layer")
                .isEqualTo(1.0);
    }
}
