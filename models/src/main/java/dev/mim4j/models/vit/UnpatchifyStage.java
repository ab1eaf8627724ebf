package dev.mim4j.models.vit;

import dev.mim4j.dsl.stage.Unpatchify;
import dev.mim4j.models.Patches;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;

/** The compiled {@link Unpatchify}: one token per patch folded back into images, in MAE's layout. */
final class UnpatchifyStage implements CompiledStage {

    private final Unpatchify stage;

    private UnpatchifyStage(Unpatchify stage) {
        this.stage = stage;
    }

    static CompiledStage compile(Unpatchify stage, StageContext context) {
        return new UnpatchifyStage(stage);
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        return flow.withData(Patches.unpatchify(flow.data(), stage.patchSize(), stage.channels(),
                stage.gridHeight(), stage.gridWidth()));
    }

    @Override
    public LayerRole role() {
        return LayerRole.TOP;
    }
}
