package dev.mim4j.models.backbone;

import static org.bytedeco.pytorch.global.torch.zeros;

import dev.mim4j.dsl.Initialization;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.init.Initializers;
import org.bytedeco.pytorch.Tensor;

/** Learned tokens and tables ({@code cls_token}, {@code mask_token}, a learned {@code pos_embed}), as both official code bases draw them. */
final class LearnedTokens {

    private LearnedTokens() {
    }

    /** A new learned parameter of {@code shape} under the stage's name, drawn as its backbone's scheme says. */
    static Tensor learned(StageContext context, long... shape) {
        Tensor token = context.parameter(zeros(shape), true);
        draw(token, context.initialization());
        return token;
    }

    /** MAE's: N(0, 0.02); BEiT's and SimMIM's: trunc-normal 0.02. */
    static void draw(Tensor token, Initialization scheme) {
        switch (scheme) {
            case XAVIER_UNIFORM -> Initializers.normal(token, 0.0, Initializers.TOKEN_STD);
            case TRUNC_NORMAL, TRUNC_NORMAL_UNSCALED -> Initializers.truncatedNormal(token, Initializers.TOKEN_STD);
        }
    }
}
