package dev.mim4j.samples;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.ImageSpec;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.dsl.recipe.TransformerDecoder;
import dev.mim4j.training.preset.Preset;
import dev.mim4j.training.preset.Presets;
import picocli.CommandLine.Option;

/** How a command picks its model: a preset's recipe over a variant or the demo's small ViT, or a JSON spec. */
final class ModelOptions {

    /** The --model of the demo, whose runs are short: no drop path, a transformer decoder scaled to the encoder. */
    static final String DEMO = "demo";

    @Option(names = "--recipe", defaultValue = "mae", completionCandidates = PresetNames.class, description = "A"
            + " preset: a paper's recipe, optimiser settings and augmentation under one name, one of"
            + " ${COMPLETION-CANDIDATES} (presets of one's own join them from the class path) (default:"
            + " ${DEFAULT-VALUE}).")
    String recipe;

    @Option(names = "--model", defaultValue = "demo", description = "A ViT variant such as Ti/16, S/16, B/16,"
            + " L/16, H/14 (any patch after the slash); a Swin, swin-t, swin-s, swin-b or swin-l (patch 4, the"
            + " largest window up to 7 that tiles its grids; SimMIM only); 'demo': a 6-block, 128-wide ViT with"
            + " patch 4; or 'swin-demo': a 2-stage Swin for small images (patch 2, width 48, depths 2-6,"
            + " window up to 7) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--spec", description = "A JSON file holding a MimRecipe or a backbone spec (written by"
            + " SpecJson), instead of --model: a backbone gets the --recipe preset's recipe; a whole recipe is"
            + " taken as it is, and pretrain then needs --recipe to say whose training settings it takes.")
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
            chosen = preset().recipe(backbone(height, width, channels));
            if (model.equals(DEMO) && chosen.decoder() instanceof TransformerDecoder) {
                chosen = chosen.toBuilder().decoder(Decoder.transformer(64, 2, 4)).build();
            }
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

    /**
     * The preset whose training settings and augmentation a new run takes: the one --recipe names, which must be
     * given when the --spec file holds a whole recipe.
     */
    Preset trainingPreset(boolean recipeGiven) throws IOException {
        if (specHoldsARecipe() && !recipeGiven) {
            throw new IllegalArgumentException("--spec " + spec + " holds a whole recipe; say which preset's"
                    + " optimiser settings and augmentation it trains with: --recipe " + presetChoices());
        }
        return preset();
    }

    /** The names of the presets, as {@code mae|simmim|...}. */
    static String presetChoices() {
        return String.join("|", new PresetNames());
    }

    /** The preset that --recipe names. */
    Preset preset() {
        try {
            return Presets.named(recipe);
        } catch (Mim4jException e) {
            throw new IllegalArgumentException("--recipe " + recipe + ": " + e.getMessage(), e);
        }
    }

    /** Whether the --spec file holds a whole recipe, not a backbone alone. */
    boolean specHoldsARecipe() throws IOException {
        return spec != null && holdsARecipe(specJson());
    }

    /** Whether spec JSON is a recipe (with a backbone field) rather than a backbone. */
    private boolean holdsARecipe(String json) {
        try {
            JsonNode node = new ObjectMapper().readTree(json);
            return node != null && node.has("backbone");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--spec " + spec + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The images the --spec file's model takes; empty without --spec, when the data decides. */
    Optional<ImageSpec> specImage() throws IOException {
        return spec == null ? Optional.empty() : Optional.of(specRecipe().backbone().image());
    }

    private MimRecipe specRecipe() throws IOException {
        String json = specJson();
        try {
            return holdsARecipe(json) ? SpecJson.fromJson(json, MimRecipe.class)
                    : preset().recipe(SpecJson.fromJson(json, Backbone.class));
        } catch (SpecException e) {
            throw new IllegalArgumentException("--spec " + spec + ": " + e.getMessage(), e);
        }
    }

    private String specJson() throws IOException {
        if (!Files.exists(spec)) {
            throw new IllegalArgumentException("--spec " + spec + ": no such file; give a JSON file written by"
                    + " SpecJson (a MimRecipe or a backbone)");
        }
        if (Files.isDirectory(spec)) {
            throw new IllegalArgumentException("--spec " + spec + " is a folder; give a JSON file written by SpecJson");
        }
        try {
            return Files.readString(spec);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("--spec " + spec + " is not UTF-8 text; give a JSON file written by"
                    + " SpecJson", e);
        }
    }

    private Backbone backbone(int height, int width, int channels) {
        if (model.toLowerCase(Locale.ROOT).startsWith("swin-")) {
            return swin(height, width, channels);
        }
        boolean demo = model.equals(DEMO);
        ViT.Builder builder = demo ? ViT.builder().patchSize(4).width(128).depth(6).heads(4) : ViT.variant(model);
        builder = preset().styleVit(builder.image(height, width, channels));
        return (demo ? builder.dropPathRate(0.0) : builder).build();
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

    /** The names of the presets, for --help. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Presets.all().stream().map(Preset::name).iterator();
        }
    }
}
