package dev.mim4j.models.mim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.SplittableRandom;

import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.compile.Compilers;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

/** A decoder compiler receives the width the target needs, and the built-in ones predict it or refuse it. */
class DecoderWidthTest {

    private static final ViT VIT = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(1).heads(2).build();

    @Test
    void aTransformerDecoderPredictsTheWidthItIsCompiledFor() {
        VisionTransformer encoder = VisionTransformer.compile(VIT, MaskedTokens.DROP);
        DecoderModule decoder = Compilers.decoder(Decoder.transformer(16, 1, 2), VIT, MaskedTokens.DROP, 108);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            MaskSample sample = MaskSample.draw(Masking.randomPatches(0.75), VIT.grid(), 2, new SplittableRandom(1));
            var images = randn(2, 3, 16, 16);
            var prediction = decoder.forward(encoder.encodeMasked(images, sample, MaskedTokens.DROP), sample);
            assertThat(Tensors.shape(prediction)).containsExactly(2, 16, 108);
        }
    }

    @Test
    void aLinearPixelDecoderIsRefusedAWidthOtherThanPixels() {
        assertThatThrownBy(() -> Compilers.decoder(Decoder.linearPixels(), VIT, MaskedTokens.REPLACE_WITH_TOKEN, 108))
                .isInstanceOf(SpecException.class).hasMessageContaining("but the target has 108 per patch");
    }
}
