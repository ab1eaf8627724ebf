package dev.mim4j.models.backbone;

import dev.mim4j.dsl.stage.Norm;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import dev.mim4j.models.parts.NormModule;

/** The compiled {@link Norm}: the norm part's module under the stage's name ({@code norm}). */
final class NormStage implements CompiledStage {

    private final NormModule norm;

    private NormStage(NormModule norm) {
        this.norm = norm;
    }

    static CompiledStage compile(Norm stage, StageContext context) {
        return new NormStage(context.module(Compilers.norm(stage.part(), context.input().size(Shape.WIDTH))));
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        return flow.withData(norm.forward(flow.data()));
    }

    @Override
    public LayerRole role() {
        return LayerRole.TOP;
    }
}
