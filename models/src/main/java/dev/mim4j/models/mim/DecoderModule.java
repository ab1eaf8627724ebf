package dev.mim4j.models.mim;

import java.util.Set;

import dev.mim4j.models.MaskSample;
import dev.mim4j.models.parts.PartModule;
import org.bytedeco.pytorch.Tensor;

/**
 * A compiled {@link dev.mim4j.dsl.recipe.Decoder}: the encoder's tokens to a prediction of every
 * patch. Subclass it for a decoder of your own and register a compiler with
 * {@link dev.mim4j.models.compile.Compilers#decoder}, or hand it to {@link MimModel#assemble}.
 */
public abstract class DecoderModule extends PartModule {

    /**
     * @param latent the encoder's output {@code [batch, prefix + n, width]}: all tokens, or the
     *     visible ones in the sample's shuffle order when the encoder dropped the masked ones
     * @param sample the masks of this pass
     * @return the prediction of every patch {@code [batch, tokens, D]}, in the target's space
     */
    public abstract Tensor forward(Tensor latent, MaskSample sample);

    /** The layout its model's weights are saved in: the official code base the decoder comes from. */
    public OfficialNames layout() {
        return OfficialNames.SIMMIM;
    }

    /** Names of its parameters that are tokens or position tables (its own names). */
    public Set<String> tokenParameters() {
        return Set.of();
    }
}
