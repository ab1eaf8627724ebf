package dev.mim4j.models.backbone;

import static org.bytedeco.pytorch.global.torch.gather;

import dev.mim4j.dsl.recipe.MaskedTokens;
import dev.mim4j.dsl.stage.DropMaskedTokens;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import org.bytedeco.pytorch.Tensor;

/**
 * The compiled {@link DropMaskedTokens} point: when the pass drops masked tokens, only the visible
 * ones go on, in the sample's shuffle order, and the flow remembers their grid positions.
 */
final class DropMaskedTokensStage implements CompiledStage {

    static CompiledStage compile(DropMaskedTokens stage, StageContext context) {
        return new DropMaskedTokensStage();
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        if (!flow.masks(MaskedTokens.DROP)) {
            return flow;
        }
        Tensor idsKeep = flow.mask().idsKeep();
        Tensor tokens = flow.data();
        Tensor visible = gather(tokens, 1, idsKeep.unsqueeze(-1).expand(-1, -1, tokens.size(2)));
        return flow.withKeptPositions(visible, idsKeep);
    }

    @Override
    public LayerRole role() {
        return LayerRole.EMBEDDING;
    }
}
