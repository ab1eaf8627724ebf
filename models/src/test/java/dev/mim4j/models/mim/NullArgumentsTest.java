package dev.mim4j.models.mim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.random.RandomGenerator;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.backbone.VisionTransformer;
import org.junit.jupiter.api.Test;

/** A missing argument of a public entry point is a NullPointerException that names the argument. */
class NullArgumentsTest {

    private static final ViT VIT = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(1).heads(2).build();

    @Test
    void missingArgumentsAreNamed() {
        assertThatThrownBy(() -> MimModel.compile(null)).isInstanceOf(NullPointerException.class).hasMessage("recipe");
        assertThatThrownBy(() -> VisionTransformer.compile(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("spec");
        MimModel model = MimModel.compile(MimRecipe.mae(VIT).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build());
        assertThatThrownBy(() -> model.forward(randn(2, 3, 16, 16), (MaskSample) null))
                .isInstanceOf(NullPointerException.class).hasMessage("given");
        assertThatThrownBy(() -> model.forward(randn(2, 3, 16, 16), (RandomGenerator) null))
                .isInstanceOf(NullPointerException.class).hasMessage("random");
        assertThatThrownBy(() -> model.forward(null, (RandomGenerator) null))
                .isInstanceOf(NullPointerException.class).hasMessage("images");
        assertThatThrownBy(() -> model.encoder().encode(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("images");
    }
}
