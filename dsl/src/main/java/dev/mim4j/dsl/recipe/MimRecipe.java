package dev.mim4j.dsl.recipe;

import static dev.mim4j.dsl.SpecChecks.given;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.SpecException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A whole masked-image-modelling recipe: a backbone and five declarations (masking, masked-token
 * handling, decoder, target, loss). MAE and SimMIM are two presets; any other combination, such
 * as MAE with block masking, is a one-line change of either:
 * {@code MimRecipe.mae(vit).toBuilder().masking(Masking.blocks(32, 0.6)).build()}. Every part is
 * open, and each checks itself against the backbone when the recipe is built.
 *
 * @param backbone the encoder that is pre-trained and kept afterwards
 * @param masking which patches are hidden at each step
 * @param maskedTokens what the encoder does with the tokens of hidden patches
 * @param decoder the head that predicts every patch from the encoder's tokens
 * @param target what is predicted for each patch
 * @param loss how the prediction is compared with the target
 */
public record MimRecipe(
        Backbone backbone,
        Masking masking,
        MaskedTokens maskedTokens,
        Decoder decoder,
        Target target,
        Loss loss) {

    public MimRecipe {
        given("recipe backbone", backbone);
        given("recipe masking", masking);
        given("recipe masked tokens", maskedTokens);
        given("recipe decoder", decoder);
        given("recipe target", target);
        given("recipe loss", loss);
        masking.validate(backbone.grid());
        backbone.checkHandles(maskedTokens);
        target.validate(backbone);
        decoder.validate(backbone, maskedTokens, target.width(backbone));
        loss.validate(backbone);
    }

    /** A builder over {@code backbone} in which all five declarations are still to be given. */
    public static Builder on(Backbone backbone) {
        return new Builder(backbone);
    }

    /**
     * MAE's recipe: 75% random patches dropped from the encoder, a 512-wide 8-block decoder with
     * 16 heads, per-patch normalised pixels (the paper's default) and MSE on the masked patches.
     */
    public static MimRecipe mae(Backbone backbone) {
        return maeBuilder(backbone).build();
    }

    /** {@link #mae}'s five declarations in a builder, to change some before anything is checked. */
    public static Builder maeBuilder(Backbone backbone) {
        return on(backbone)
                .masking(Masking.randomPatches(0.75))
                .maskedTokens(MaskedTokens.DROP)
                .decoder(Decoder.transformer(512, 8, 16))
                .target(Target.pixels().normalizedPerPatch())
                .loss(Loss.mse().maskedOnly());
    }

    /**
     * SimMIM's recipe: 60% of 32x32 blocks replaced by a mask token, a linear pixel decoder, raw
     * pixels and L1 on the masked patches.
     */
    public static MimRecipe simmim(Backbone backbone) {
        return simmimBuilder(backbone).build();
    }

    /**
     * {@link #simmim}'s five declarations in a builder, to change some before anything is checked:
     * e.g. a smaller mask patch for images on which 32x32 blocks do not fit.
     */
    public static Builder simmimBuilder(Backbone backbone) {
        return on(backbone)
                .masking(Masking.blocks(32, 0.6))
                .maskedTokens(MaskedTokens.REPLACE_WITH_TOKEN)
                .decoder(Decoder.linearPixels())
                .target(Target.pixels())
                .loss(Loss.l1().maskedOnly());
    }

    /** A builder holding this recipe's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(backbone)
                .masking(masking)
                .maskedTokens(maskedTokens)
                .decoder(decoder)
                .target(target)
                .loss(loss);
    }

    /** Number of patch tokens of the backbone, without the class token. */
    public int tokens() {
        return backbone.tokens();
    }

    /** Pixel values in one patch, the width of the decoder's prediction for each patch. */
    public int patchDim() {
        return backbone.patchDim();
    }

    /**
     * One line for logs and run summaries, e.g. "random patches 0.75, drop masked tokens,
     * transformer decoder 512x8 (16 heads), normalised pixels, MSE on masked patches".
     */
    public String describe() {
        return Stream.of(masking.describe(), maskedTokens.describe(), decoder.describe(),
                        target.describe(), loss.describe())
                .collect(Collectors.joining(", "));
    }

    /**
     * Collects the five declarations of a {@link MimRecipe}; none has a default, so that a recipe
     * says everything it does, and nothing is checked until {@link #build()}.
     */
    public static final class Builder {
        private Backbone backbone;
        private Masking masking;
        private MaskedTokens maskedTokens;
        private Decoder decoder;
        private Target target;
        private Loss loss;

        private Builder(Backbone backbone) {
            this.backbone = backbone;
        }

        public Builder backbone(Backbone backbone) {
            this.backbone = backbone;
            return this;
        }

        public Builder masking(Masking masking) {
            this.masking = masking;
            return this;
        }

        public Builder maskedTokens(MaskedTokens maskedTokens) {
            this.maskedTokens = maskedTokens;
            return this;
        }

        public Builder decoder(Decoder decoder) {
            this.decoder = decoder;
            return this;
        }

        public Builder target(Target target) {
            this.target = target;
            return this;
        }

        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * The recipe, or a {@link SpecException} naming the first part that is missing or does
         * not fit.
         */
        public MimRecipe build() {
            return new MimRecipe(backbone, masking, maskedTokens, decoder, target, loss);
        }
    }
}
