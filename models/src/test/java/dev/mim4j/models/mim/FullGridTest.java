package dev.mim4j.models.mim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.pytorch.global.torch.randn;

import java.util.Set;
import java.util.SplittableRandom;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.Linears;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.parts.Linear;
import dev.mim4j.models.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A decoder of one's own after dropped tokens gets the whole grid back from FullGrid, as MAE's decoder does. */
class FullGridTest {

    /** The smallest decoder after dropped tokens: the whole grid back, then one Linear per token. */
    public record LinearAfterDrop() implements Decoder {
        @Override
        public void validate(Backbone backbone, MaskedTokens maskedTokens, int width) {
        }

        @Override
        public String describe() {
            return "linear after drop";
        }
    }

    static final class LinearAfterDropModule extends DecoderModule {
        private final int prefix;
        private final Tensor maskToken;
        private final Linear pred;

        LinearAfterDropModule(Backbone backbone, int width) {
            prefix = backbone.prefixTokens();
            maskToken = parameter("mask_token", randn(1, 1, backbone.width()));
            pred = child("pred", Linears.of(backbone.width(), width, true));
        }

        @Override
        public Tensor forward(Tensor latent, MaskSample sample) {
            Tensor grid = FullGrid.restore(latent, sample, maskToken, prefix);
            return pred.forward(grid).narrow(1, prefix, sample.tokens());
        }

        @Override
        public Set<String> tokenParameters() {
            return Set.of("mask_token");
        }
    }

    @BeforeAll
    static void register() {
        SpecJson.register(Decoder.class, "linearAfterDrop", LinearAfterDrop.class);
        Compilers.decoder(LinearAfterDrop.class, (decoder, backbone, handling, width) ->
                new LinearAfterDropModule(backbone, width));
    }

    @Test
    void theVisibleTokensGoBackToTheirPlacesAndTheMaskTokenFillsTheRest() {
        try (PointerScope scope = new PointerScope()) {
            // 4 tokens, noise ranks keep tokens 2 and 0 (in that order); one cls token
            MaskSample sample = MaskSample.fromNoise(Tensors.floats(new float[] {0.2f, 0.9f, 0.1f, 0.8f}, 1, 4), 2);
            Tensor visible = Tensors.floats(new float[] {7, 2, 0}, 1, 3, 1);   // cls 7, then tokens 2 and 0
            Tensor grid = FullGrid.restore(visible, sample, Tensors.floats(new float[] {-1}, 1, 1, 1), 1);
            assertThat(Tensors.toFloats(grid)).containsExactly(7, 0, -1, 2, -1);
            assertThat(FullGrid.restore(grid, sample, Tensors.floats(new float[] {-1}, 1, 1, 1), 1)).isSameAs(grid);
        }
    }

    @Test
    void aDecoderOfOnesOwnAfterDroppedTokensTrains() {
        ViT vit = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(1).heads(2).build();
        MimModel model = MimModel.compile(MimRecipe.mae(vit).toBuilder().decoder(new LinearAfterDrop()).build());
        try (PointerScope scope = new PointerScope()) {
            MimOutput out = model.forward(randn(2, 3, 16, 16), new SplittableRandom(4));
            assertThat(Tensors.shape(out.prediction())).containsExactly(2, 16, 48);
            out.loss().backward();
            assertThat(StateDict.of(model).get("decoder.mask_token").grad().abs().sum().item_double())
                    .as("the mask token's gradient").isPositive();
        }
    }
}
