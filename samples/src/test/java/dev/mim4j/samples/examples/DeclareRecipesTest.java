package dev.mim4j.samples.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.MimRecipe;
import org.junit.jupiter.api.Test;

class DeclareRecipesTest {

    private static final ViT VIT = ViT.variant("S/16").image(224, 224, 3).build();

    @Test
    void maeAndSimMimAreTheirFiveDeclarations() {
        assertThat(DeclareRecipes.mae(VIT)).isEqualTo(MimRecipe.mae(VIT));
        assertThat(DeclareRecipes.simmim(VIT)).isEqualTo(MimRecipe.simmim(VIT));
        assertThat(DeclareRecipes.blockMae(VIT).decoder()).isEqualTo(MimRecipe.mae(VIT).decoder());
        assertThat(DeclareRecipes.blockMae(VIT).masking()).isEqualTo(MimRecipe.simmim(VIT).masking());
    }

    @Test
    void itCompilesThreeModelsAndPrintsTheMixedRecipesJson() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            DeclareRecipes.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\"type\": \"blocks\"").contains("\"kind\": \"L1\"").contains("decoder_pred");
    }
}
