package dev.mim4j.samples;

import java.util.concurrent.Callable;

import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.mim.MimModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints a model's parameters per part, without training anything. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Prints the encoder's and the whole recipe's parameters per part, and the spec as JSON.")
final class SummaryCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--image", defaultValue = "224x224x3", description = "HxWxC of the images (default: ${DEFAULT-VALUE};"
            + " the demo model takes 28x28x1).")
    String image;

    @Option(names = "--json", description = "Also print the recipe as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int[] size = ImageSizes.parse(image);
        MimRecipe recipe = model.recipe(size[0], size[1], size[2]);
        VisionTransformer encoder = VisionTransformer.compile(recipe.backbone());
        System.out.println("Encoder");
        System.out.print(encoder.summary());
        encoder.close();
        MimModel full = MimModel.compile(recipe);
        System.out.println();
        System.out.println("Recipe (official names)");
        System.out.print(full.summary());
        full.close();
        if (json) {
            System.out.println(SpecJson.toJson(recipe));
        }
        return 0;
    }
}
