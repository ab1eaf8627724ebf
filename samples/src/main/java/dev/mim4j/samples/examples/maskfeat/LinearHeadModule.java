package dev.mim4j.samples.examples.maskfeat;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.init.Initializers;
import dev.mim4j.models.mim.DecoderModule;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.Tensor;

/**
 * The compiled {@link LinearHead}: the prefix tokens dropped, then one {@code head} linear layer to the width the
 * target predicts, drawn truncated-normal (std 0.02) with zero bias as MaskFeat draws it.
 */
public final class LinearHeadModule extends DecoderModule {

    private final int prefix;
    private final LinearImpl head;

    /** The compiler of {@link LinearHead}: {@code predicted} is the target's width per token. */
    public static LinearHeadModule compile(LinearHead spec, Backbone backbone, MaskedTokens handling, int predicted) {
        return new LinearHeadModule(backbone, predicted);
    }

    private LinearHeadModule(Backbone backbone, int predicted) {
        prefix = backbone.prefixTokens();
        head = child("head", new LinearImpl(new LinearOptions(backbone.width(), predicted)));
        Initializers.truncatedNormalLinear(head, Initializers.TOKEN_STD);
    }

    @Override
    public Tensor forward(Tensor latent, MaskSample sample) {
        return head.forward(latent.narrow(1, prefix, latent.size(1) - prefix));
    }
}
