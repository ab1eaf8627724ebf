package dev.mim4j.samples.examples;

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
 * decoder with SimMIM's block masking and L1 loss) by changing lines, not classes.
 * Run: {@code ./mim4j-example DeclareRecipes} or from an IDE.
 */
public final class DeclareRecipes {

    private DeclareRecipes() {
    }

    public static void main(String[] args) {
        ViT vit = ViT.variant("S/16").image(224, 224, 3).build();

        MimRecipe mae = MimRecipe.on(vit)
                .masking(Masking.randomPatches(0.75))
                .maskedTokens(MaskedTokens.DROP)
                .decoder(Decoder.transformer(512, 8, 16))
                .target(Target.pixels().normalizedPerPatch())
                .loss(Loss.mse().maskedOnly())
                .build();

        MimRecipe simmim = MimRecipe.on(vit)
                .masking(Masking.blocks(32, 0.6))
                .maskedTokens(MaskedTokens.REPLACE_WITH_TOKEN)
                .decoder(Decoder.linearPixels())
                .target(Target.pixels())
                .loss(Loss.l1().maskedOnly())
                .build();

        MimRecipe blockMae = mae.toBuilder()
                .masking(Masking.blocks(32, 0.6))
                .loss(Loss.l1().maskedOnly())
                .build();

        for (MimRecipe recipe : new MimRecipe[] {mae, simmim, blockMae}) {
            MimModel model = MimModel.compile(recipe);
            System.out.println(model.summary());
            model.close();
        }
        System.out.println(SpecJson.toJson(blockMae));
    }
}
