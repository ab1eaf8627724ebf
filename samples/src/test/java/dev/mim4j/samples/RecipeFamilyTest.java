package dev.mim4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.image.Compose;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.RandomResizedCrop;
import org.junit.jupiter.api.Test;

class RecipeFamilyTest {

    private static final ViT VIT = ViT.builder().image(32, 32, 3).patchSize(8).width(32).depth(1).heads(2).build();

    @Test
    void aRecipeThatDropsMaskedTokensTrainsLikeMae() {
        RecipeFamily family = RecipeFamily.of(MimRecipe.mae(VIT));

        assertThat(family).isEqualTo(RecipeFamily.MAE);
        assertThat(family.config(10, 64).learningRateBatch()).isEqualTo(256);
        assertThat(((Compose) family.augmentation(32, Normalize.IMAGENET)).transforms())
                .startsWith(RandomResizedCrop.mae(32, 32));
    }

    @Test
    void aRecipeThatReplacesMaskedTokensTrainsLikeSimmim() {
        MimRecipe simmim = MimRecipe.simmimBuilder(VIT).masking(Masking.blocks(16, 0.6)).build();
        RecipeFamily family = RecipeFamily.of(simmim);

        assertThat(family).isEqualTo(RecipeFamily.SIMMIM);
        assertThat(family.config(10, 64).learningRateBatch()).isEqualTo(512);
        assertThat(((Compose) family.augmentation(32, Normalize.IMAGENET)).transforms())
                .startsWith(RandomResizedCrop.simmim(32, 32));
        assertThat(family.folderPrefix()).isEqualTo("simmim");
    }
}
