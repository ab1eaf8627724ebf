package dev.mim4j.models.vit;

import dev.mim4j.dsl.stage.Linear;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import org.bytedeco.pytorch.LinearImpl;

/** The compiled {@link Linear}: a libtorch Linear over every token, under the stage's name. */
final class LinearStage implements CompiledStage {

    private final LinearImpl linear;

    private LinearStage(LinearImpl linear) {
        this.linear = linear;
    }

    static CompiledStage compile(Linear stage, StageContext context) {
        return new LinearStage(context.module(
                Linears.of(context.input().size(Shape.WIDTH), stage.outWidth(), stage.bias())));
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        return flow.withData(linear.forward(flow.data()));
    }

    @Override
    public LayerRole role() {
        return LayerRole.TOP;
    }
}
