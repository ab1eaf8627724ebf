package dev.mim4j.samples.examples;

import java.util.List;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Loss;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.Target;
import dev.mim4j.models.mim.MimModel;

/**
 * Sample: MAE and SimMIM are five declarations over one backbone; a third recipe mixes them (MAE's
 * decoder with SimMIM's block masking and L1 loss) by changing lines, not classes. Prints each model's
 * summary and the third recipe's JSON. Run it from an IDE, or with {@code java -cp <mim4j-samples and its
 * dependencies> dev.mim4j.samples.examples.DeclareRecipes}.
 */
public final class DeclareRecipes {

    private DeclareRecipes() {
    }

    public static void main(String[] args) {
        ViT vit = ViT.variant("S/16").image(224, 224, 3).build();
        List<MimRecipe> recipes = List.of(mae(vit), simmim(vit), blockMae(vit));
        for (MimRecipe recipe : recipes) {
            try (MimModel model = MimModel.compile(recipe)) {
                System.out.println(model.summary());
            }
        }
        System.out.println(SpecJson.toJson(recipes.get(2)));
    }

    /** MAE's five declarations. */
    static MimRecipe mae(ViT vit) {
        return MimRecipe.on(vit)
                .masking(Masking.randomPatches(0.75))
                .maskedTokens(MaskedTokens.DROP)
                .decoder(Decoder.transformer(512, 8, 16))
                .target(Target.pixels().normalizedPerPatch())
                .loss(Loss.mse().maskedOnly())
                .build();
    }

    /** SimMIM's five declarations. */
    static MimRecipe simmim(ViT vit) {
        return MimRecipe.on(vit)
                .masking(Masking.blocks(32, 0.6))
                .maskedTokens(MaskedTokens.REPLACE_WITH_TOKEN)
                .decoder(Decoder.linearPixels())
                .target(Target.pixels())
                .loss(Loss.l1().maskedOnly())
                .build();
    }

    /** MAE with SimMIM's block masking and L1 loss: two lines changed. */
    static MimRecipe blockMae(ViT vit) {
        return mae(vit).toBuilder()
                .masking(Masking.blocks(32, 0.6))
                .loss(Loss.l1().maskedOnly())
                .build();
    }
}
