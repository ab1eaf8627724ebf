package dev.mim4j.samples;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Locale;
import java.util.Optional;


import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import picocli.CommandLine.Option;

/** How a command picks its model: a recipe preset over a variant or the demo's small ViT, or a JSON spec. */
final class ModelOptions {

    @Option(names = "--recipe", defaultValue = "mae", description = "mae or simmim (default: ${DEFAULT-VALUE}).")
    String recipe;

    @Option(names = "--model", defaultValue = "demo", description = "A ViT variant such as Ti/16, S/16, B/16,"
            + " L/16, H/14 (any patch after the slash); a Swin, swin-t, swin-s, swin-b or swin-l (patch 4, the"
            + " largest window up to 7 that tiles its grids; SimMIM only); 'demo': a 6-block, 128-wide ViT with"
            + " patch 4; or 'swin-demo': a 2-stage Swin for small images (patch 2, width 48, depths 2-6,"
            + " window up to 7) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--spec", description = "A JSON file holding a MimRecipe or a backbone spec (written by"
            + " SpecJson); overrides --recipe and --model.")
    Path spec;

    @Option(names = "--mask-ratio", description = "Overrides the recipe's mask ratio.")
    Double maskRatio;

    @Option(names = "--mask-patch", description = "SimMIM's mask block size in pixels, also over a --spec (default:"
            + " the spec's, else 32 or the largest multiple of the patch that tiles the image into at least 4 blocks).")
    Integer maskPatch;

    /** The recipe for images of the given size. */
    MimRecipe recipe(int height, int width, int channels) throws IOException {
        MimRecipe chosen;
        if (spec != null) {
            chosen = specRecipe();
        } else {
            chosen = preset(backbone(height, width, channels));
        }
        if (maskPatch != null) {
            Masking masking;
            try {
                masking = chosen.masking().withMaskPatch(maskPatch);
            } catch (SpecException e) {
                throw new IllegalArgumentException("--mask-patch " + maskPatch + ": " + e.getMessage(), e);
            }
            chosen = chosen.toBuilder().masking(masking).build();
        }
        if (maskRatio != null) {
            chosen = chosen.toBuilder().masking(chosen.masking().withRatio(maskRatio)).build();
        }
        return chosen;
    }

    /** The images the --spec file's model takes; empty without --spec, when the data decides. */
    Optional<ImageSpec> specImage() throws IOException {
        return spec == null ? Optional.empty() : Optional.of(specRecipe().backbone().image());
    }

    private MimRecipe specRecipe() throws IOException {
        if (!Files.exists(spec)) {
            throw new IllegalArgumentException("--spec " + spec + ": no such file; give a JSON file written by"
                    + " SpecJson (a MimRecipe or a backbone)");
        }
        if (Files.isDirectory(spec)) {
            throw new IllegalArgumentException("--spec " + spec + " is a folder; give a JSON file written by SpecJson");
        }
        String json;
        try {
            json = Files.readString(spec);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("--spec " + spec + " is not UTF-8 text; give a JSON file written by"
                    + " SpecJson", e);
        }
        try {
            return json.contains("\"backbone\"") ? SpecJson.fromJson(json, MimRecipe.class)
                    : preset(SpecJson.fromJson(json, Backbone.class));
        } catch (SpecException e) {
            throw new IllegalArgumentException("--spec " + spec + ": " + e.getMessage(), e);
        }
    }

    private Backbone backbone(int height, int width, int channels) {
        if (model.toLowerCase(Locale.ROOT).startsWith("swin-")) {
            return swin(height, width, channels);
        }
        ViT.Builder builder = model.equals("demo")
                ? ViT.builder().patchSize(4).width(128).depth(6).heads(4)
                : ViT.variant(model);
        builder.image(height, width, channels);
        if (recipe.equals("simmim")) {
            builder.qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1).absolutePosition(AbsolutePosition.NONE)
                    .relativePosition(RelativePosition.SHARED_BIAS).initialization(Initialization.TRUNC_NORMAL)
                    .dropPathRate(model.equals("demo") ? 0.0 : 0.1);
        }
        return builder.build();
    }

    /** A named Swin on these images, with the largest window up to 7 that tiles every stage's grid. */
    private Swin swin(int height, int width, int channels) {
        Swin.Builder builder = model.equalsIgnoreCase("swin-demo")
                ? Swin.builder().patchSize(2).embedWidth(48).depths(2, 6).heads(3, 6)
                : Swin.variant(model.substring("swin-".length()));
        builder.image(height, width, channels);
        SpecException last = null;
        for (int window = 7; window >= 1; window--) {
            try {
                return builder.window(window).build();
            } catch (SpecException e) {
                last = last == null ? e : last;
            }
        }
        throw new IllegalArgumentException("--model " + model + " does not fit " + height + "x" + width
                + " images: " + last.getMessage(), last);
    }

    private MimRecipe preset(Backbone backbone) {
        switch (recipe) {
            case "mae":
                MimRecipe mae = MimRecipe.mae(backbone);
                return model.equals("demo") && spec == null ? mae.toBuilder().decoder(Decoder.transformer(64, 2, 4)).build()
                        : mae;
            case "simmim":
                return MimRecipe.simmimBuilder(backbone).masking(Masking.blocks(simmimBlock(backbone), 0.6)).build();
            default:
                throw new IllegalArgumentException("recipe '" + recipe + "' is not one of mae, simmim");
        }
    }

    /** SimMIM's 32-pixel blocks when they tile the image into at least 4, else the largest multiple of the patch that does. */
    private static int simmimBlock(Backbone backbone) {
        int p = backbone.grid().patchSize();
        int h = backbone.image().height();
        int w = backbone.image().width();
        for (int block = 32 - 32 % p; block >= p; block -= p) {
            if (block > 0 && h % block == 0 && w % block == 0 && (h / block) * (w / block) >= 4) {
                return block;
            }
        }
        return p;
    }
}
