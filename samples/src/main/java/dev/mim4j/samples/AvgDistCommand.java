package dev.mim4j.samples;

import dev.mim4j.dsl.TokenGrid;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Natives;
import dev.mim4j.training.masking.AvgDist;
import dev.mim4j.training.masking.MaskSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** SimMIM's AvgDist of a recipe's masking policy, to compare policies before training. */
@Command(name = "avgdist", mixinStandardHelpOptions = true,
        description = "Prints SimMIM's AvgDist (mean distance from a masked pixel to the nearest visible pixel) of"
                + " the recipe's masking policy, averaged over sampled masks.")
final class AvgDistCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--image", defaultValue = "224x224x3", description = "HxWxC (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--samples", defaultValue = "1000", description = "Masks sampled (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the masks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Natives.load();
        int[] size = ImageSizes.parse(image);
        MimRecipe recipe = model.recipe(size[0], size[1], size[2]);
        TokenGrid grid = recipe.backbone().grid();
        SplittableRandom random = new SplittableRandom(seed);
        MaskSource source = new MaskSource() {
            @Override
            public float[] next() {
                boolean[] mask = recipe.masking().sample(grid, random);
                float[] values = new float[mask.length];
                for (int i = 0; i < mask.length; i++) {
                    values[i] = mask[i] ? 1f : 0f;
                }
                return values;
            }

            @Override
            public int gridHeight() {
                return grid.rows();
            }

            @Override
            public int gridWidth() {
                return grid.columns();
            }

            @Override
            public int patchSize() {
                return grid.patchSize();
            }
        };
        AvgDist.Result result = AvgDist.average(source, samples);
        System.out.println(String.format(Locale.ROOT, "{\"masking\": \"%s\", \"image\": \"%dx%d\", \"patch\": %d,"
                + " \"avgdist\": %.4f, \"std\": %.4f, \"samples\": %d}", recipe.masking().describe(), size[0], size[1],
                grid.patchSize(), result.mean(), result.std(), result.samples()));
        return 0;
    }
}
