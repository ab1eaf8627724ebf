package dev.mim4j.dsl.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.ViT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MimRecipeTest {

    private static final ViT VIT = ViT.variant("B/16").image(224, 224, 3).build();

    @Test
    void maeIsRandomPatchesDroppedAndATransformerDecoderOnNormalisedPixels() {
        MimRecipe mae = MimRecipe.mae(VIT);

        assertThat(mae.backbone()).isSameAs(VIT);
        assertThat(mae.masking()).isEqualTo(new RandomPatches(0.75));
        assertThat(mae.maskedTokens()).isEqualTo(MaskedTokens.DROP);
        assertThat(mae.decoder()).isEqualTo(new TransformerDecoder(512, 8, 16, 4.0, 1e-6));
        assertThat(mae.target()).isEqualTo(new PixelTarget(true));
        assertThat(mae.loss()).isEqualTo(new PixelLoss(PixelLoss.Kind.MSE, true));
    }

    @Test
    void simmimIsBlocksReplacedByATokenAndALinearDecoderOnRawPixels() {
        MimRecipe simmim = MimRecipe.simmim(VIT);

        assertThat(simmim.backbone()).isSameAs(VIT);
        assertThat(simmim.masking()).isEqualTo(new BlockMasking(32, 0.6));
        assertThat(simmim.maskedTokens()).isEqualTo(MaskedTokens.REPLACE_WITH_TOKEN);
        assertThat(simmim.decoder()).isEqualTo(new LinearPixelDecoder());
        assertThat(simmim.target()).isEqualTo(new PixelTarget(false));
        assertThat(simmim.loss()).isEqualTo(new PixelLoss(PixelLoss.Kind.L1, true));
    }

    @Test
    void maeAndSimmimDifferInTheFiveDeclarationsOnlyAndShareTheBackbone() {
        MimRecipe mae = MimRecipe.mae(VIT);
        MimRecipe simmim = MimRecipe.simmim(VIT);

        MimRecipe maeTurnedSimmim = mae.toBuilder()
                .masking(simmim.masking())
                .maskedTokens(simmim.maskedTokens())
                .decoder(simmim.decoder())
                .target(simmim.target())
                .loss(simmim.loss())
                .build();

        assertThat(maeTurnedSimmim).isEqualTo(simmim);
        assertThat(maeTurnedSimmim.backbone()).isSameAs(mae.backbone()).isSameAs(simmim.backbone());
        assertThat(mae.masking()).isNotEqualTo(simmim.masking());
        assertThat(mae.maskedTokens()).isNotEqualTo(simmim.maskedTokens());
        assertThat(mae.decoder()).isNotEqualTo(simmim.decoder());
        assertThat(mae.target()).isNotEqualTo(simmim.target());
        assertThat(mae.loss()).isNotEqualTo(simmim.loss());
    }

    @Test
    void maeWithBlockMaskingIsOneLineDifferent() {
        MimRecipe mixed = MimRecipe.mae(VIT).toBuilder().masking(Masking.blocks(32, 0.6)).build();

        assertThat(mixed.masking()).isEqualTo(MimRecipe.simmim(VIT).masking());
        assertThat(mixed.decoder()).isEqualTo(MimRecipe.mae(VIT).decoder());
        assertThat(mixed.describe()).isEqualTo("32x32 blocks 0.6, drop masked tokens,"
                + " transformer decoder 512x8 (16 heads), normalised pixels, MSE on masked patches");
    }

    @Test
    void toBuilderLeavesTheOriginal() {
        MimRecipe mae = MimRecipe.mae(VIT);
        MimRecipe everywhere = mae.toBuilder().loss(Loss.mse().everywhere()).build();

        assertThat(mae.toBuilder().build()).isEqualTo(mae);
        assertThat(everywhere.loss()).isEqualTo(new PixelLoss(PixelLoss.Kind.MSE, false));
        assertThat(mae.loss()).isEqualTo(new PixelLoss(PixelLoss.Kind.MSE, true));
    }

    @Test
    void describeNamesEachPartInOrder() {
        assertThat(MimRecipe.mae(VIT).describe()).isEqualTo("random patches 0.75, drop masked tokens,"
                + " transformer decoder 512x8 (16 heads), normalised pixels, MSE on masked patches");
        assertThat(MimRecipe.simmim(VIT).describe()).isEqualTo("32x32 blocks 0.6,"
                + " replace masked tokens with a mask token, linear pixel decoder, pixels,"
                + " L1 on masked patches");
    }

    @Test
    void tokensAndPatchDimAreTheBackbones() {
        MimRecipe gray = MimRecipe.mae(ViT.builder().image(128, 96, 1).patchSize(16).build());

        assertThat(gray.tokens()).isEqualTo(48);
        assertThat(gray.patchDim()).isEqualTo(256);
    }

    @Test
    void explicitMaskingWorksWithEitherTokenHandling() {
        MimRecipe dropped = MimRecipe.mae(VIT).toBuilder().masking(Masking.explicit()).build();
        MimRecipe replaced = MimRecipe.simmim(VIT).toBuilder().masking(Masking.explicit()).build();

        assertThat(dropped.masking()).isEqualTo(replaced.masking()).isEqualTo(new ExplicitMasking());
    }

    @Test
    void thePresetBuildersLetSmallImagesTakeSmallerBlocks() {
        ViT small = ViT.builder().image(32, 32, 3).patchSize(4).width(64).depth(2).heads(4).build();

        assertThatThrownBy(() -> MimRecipe.simmim(small))
                .hasMessage("mask ratio 0.6 masks every block of 1");
        assertThat(MimRecipe.simmimBuilder(small).masking(Masking.blocks(8, 0.6)).build().masking())
                .isEqualTo(Masking.blocks(8, 0.6));
        assertThat(MimRecipe.maeBuilder(small).build()).isEqualTo(MimRecipe.mae(small));
    }

    @Test
    void simmimWithATransformerDecoderIsOneLineDifferent() {
        MimRecipe simmimWithTransformer =
                MimRecipe.simmim(VIT).toBuilder().decoder(Decoder.transformer(512, 8, 16)).build();

        assertThat(simmimWithTransformer.describe()).isEqualTo("32x32 blocks 0.6,"
                + " replace masked tokens with a mask token, transformer decoder 512x8 (16 heads),"
                + " pixels, L1 on masked patches");
    }

    static Stream<Arguments> invalidRecipes() {
        ViT b16 = VIT;
        ViT tiny1x1 = ViT.builder().image(8, 8, 1).patchSize(1).width(16).heads(4).depth(1).build();
        return Stream.of(
                invalid("no backbone", "recipe backbone must be given",
                        b -> b.backbone(null)),
                invalid("no masking", "recipe masking must be given",
                        b -> b.masking(null)),
                invalid("no masked token handling", "recipe masked tokens must be given",
                        b -> b.maskedTokens(null)),
                invalid("no decoder", "recipe decoder must be given",
                        b -> b.decoder(null)),
                invalid("no target", "recipe target must be given",
                        b -> b.target(null)),
                invalid("no loss", "recipe loss must be given",
                        b -> b.loss(null)),
                invalid("dropped tokens before a linear pixel decoder",
                        "a linear pixel decoder cannot follow an encoder that drops the masked tokens: it predicts"
                                + " each patch from that patch's token alone, so the encoder would never see a masked"
                                + " patch's loss; replace masked tokens with a mask token, or use a transformer decoder",
                        b -> b.maskedTokens(MaskedTokens.DROP).decoder(Decoder.linearPixels())),
                invalid("mask patch not a multiple of the model patch",
                        "mask patch 24 is not a multiple of model patch 16",
                        b -> b.masking(Masking.blocks(24, 0.6))),
                invalid("image height not a multiple of the mask patch",
                        "image height 224 is not a multiple of mask patch 48",
                        b -> b.masking(Masking.blocks(48, 0.6))),
                invalid("image width not a multiple of the mask patch",
                        "image width 208 is not a multiple of mask patch 32",
                        b -> b.backbone(b16.toBuilder().image(192, 208, 3).build())
                                .masking(Masking.blocks(32, 0.6))),
                invalid("block ratio that masks every block",
                        "mask ratio 0.99 masks every block of 16",
                        b -> b.backbone(b16.toBuilder().image(128, 128, 3).build())
                                .masking(Masking.blocks(32, 0.99))),
                invalid("a single block", "mask ratio 0.6 masks every block of 1",
                        b -> b.masking(Masking.blocks(224, 0.6))),
                invalid("random ratio that keeps nothing", "mask ratio 0.999 keeps no token of 196",
                        b -> b.masking(Masking.randomPatches(0.999))),
                invalid("random ratio that masks nothing", "mask ratio 1.0E-17 masks no token of 196",
                        b -> b.masking(Masking.randomPatches(1e-17))),
                invalid("normalising a patch of one value",
                        "per-patch normalised targets need at least 2 values per patch,"
                                + " patch 1x1x1 has 1",
                        b -> b.backbone(tiny1x1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecipes")
    void invalidRecipesAreRejectedWithASentence(UnaryOperator<MimRecipe.Builder> change, String message) {
        MimRecipe.Builder builder = change.apply(MimRecipe.mae(VIT).toBuilder());

        assertThatThrownBy(builder::build).isInstanceOf(SpecException.class).hasMessage(message);
    }

    @Test
    void nothingHasADefault() {
        assertThatThrownBy(() -> MimRecipe.on(VIT).build())
                .isInstanceOf(SpecException.class)
                .hasMessage("recipe masking must be given");
        assertThatThrownBy(() -> MimRecipe.on(VIT).masking(Masking.explicit()).build())
                .isInstanceOf(SpecException.class)
                .hasMessage("recipe masked tokens must be given");
    }

    @Test
    void rawPixelsOfAOneValuePatchAreFine() {
        ViT tiny1x1 = ViT.builder().image(8, 8, 1).patchSize(1).width(16).heads(4).depth(1).build();

        MimRecipe recipe = MimRecipe.mae(VIT).toBuilder().backbone(tiny1x1).target(Target.pixels()).build();

        assertThat(recipe.patchDim()).isEqualTo(1);
    }

    private static Arguments invalid(String name, String message, UnaryOperator<MimRecipe.Builder> change) {
        return Arguments.of(named(name, change), message);
    }
}
