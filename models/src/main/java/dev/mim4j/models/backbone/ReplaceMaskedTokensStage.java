package dev.mim4j.models.backbone;

import java.util.Set;

import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.stage.ReplaceMaskedTokens;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The compiled {@link ReplaceMaskedTokens} point: in an encoder built to replace masked tokens, a
 * learned {@code mask_token} (SimMIM's {@code encoder.mask_token}) takes the place of each masked
 * patch token; otherwise it passes tokens through and has no parameter.
 */
final class ReplaceMaskedTokensStage implements CompiledStage {

    private final Tensor maskToken;
    private final String name;

    private ReplaceMaskedTokensStage(Tensor maskToken, String name) {
        this.maskToken = maskToken;
        this.name = name;
    }

    static CompiledStage compile(ReplaceMaskedTokens stage, StageContext context) {
        if (context.handling() != MaskedTokens.REPLACE_WITH_TOKEN) {
            return new ReplaceMaskedTokensStage(null, context.name());
        }
        return new ReplaceMaskedTokensStage(
                LearnedTokens.learned(context, 1, 1, context.input().size(Shape.WIDTH)), context.name());
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        if (!flow.masks(MaskedTokens.REPLACE_WITH_TOKEN)) {
            return flow;
        }
        Tensor tokens = flow.data();
        Tensor masked = flow.mask().mask().unsqueeze(-1).to(Tensors.scalarType(tokens));
        Tensor keep = masked.neg().add(new Scalar(1.0));
        return flow.withData(tokens.mul(keep).add(maskToken.mul(masked)));
    }

    @Override
    public LayerRole role() {
        return LayerRole.EMBEDDING;
    }

    @Override
    public Set<String> tokenParameters() {
        return maskToken == null ? Set.of() : Set.of(name);
    }
}
