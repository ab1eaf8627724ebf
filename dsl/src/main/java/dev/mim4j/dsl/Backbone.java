package dev.mim4j.dsl;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.stage.MaskedTokenPoint;
import dev.mim4j.dsl.stage.Images;
import dev.mim4j.dsl.stage.Pipeline;
import dev.mim4j.dsl.stage.Tokens;

/**
 * An encoder that turns images into tokens, declared as a {@link Pipeline} of typed stages; the
 * models module compiles every backbone through that pipeline, so a backbone written outside the
 * library compiles like {@link ViT}. A user backbone joins spec JSON with
 * {@link SpecJson#register}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface Backbone {

    /** The images it takes. */
    ImageSpec image();

    /** The patch grid: masks, pixel targets and predictions are laid out on it. */
    TokenGrid grid();

    /** The grid of the output tokens; the patch grid unless stages merge tokens. */
    default TokenGrid outputGrid() {
        return grid();
    }

    /** The width of the output tokens. */
    int width();

    /** Tokens before the grid tokens in the output, such as a class token. */
    int prefixTokens();

    /** The stages, named where they hold parameters, from images to the output tokens. */
    Pipeline<Images, ? extends Tokens> pipeline();

    /** One line for logs and summaries. */
    String describe();

    /** How the weights of a new encoder are drawn; MAE's unless the backbone says otherwise. */
    default Initialization initialization() {
        return Initialization.XAVIER_UNIFORM;
    }

    /**
     * This backbone with stochastic depth growing to {@code rate} in its last block, as fine-tuning
     * sets it; a backbone without drop path takes only 0.
     *
     * @throws SpecException for a rate the backbone cannot take
     */
    default Backbone withDropPathRate(double rate) {
        SpecChecks.check(rate == 0, "%s has no drop path to set to %s", describe(), rate);
        return this;
    }

    /** Number of patch tokens. */
    default int tokens() {
        return grid().tokens();
    }

    /** Pixel values in one patch: the width of a pixel target per token. */
    default int patchDim() {
        return grid().patchSize() * grid().patchSize() * image().channels();
    }

    /**
     * Refuses a masked-token handling for which the pipeline has no point: dropping needs a
     * {@link MaskedTokenPoint} for {@link MaskedTokens#DROP}, which a backbone whose stages need the
     * whole grid (window attention, patch merging) cannot have.
     */
    default void checkHandles(MaskedTokens handling) {
        SpecChecks.given("masked tokens", handling);
        SpecChecks.check(pipeline().pointFor(handling).isPresent(),
                "%s cannot %s: that needs %s", describe(), handling.describe(), handling.requirement());
    }
}
