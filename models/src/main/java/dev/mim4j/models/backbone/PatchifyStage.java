package dev.mim4j.models.backbone;

import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.stage.Patchify;
import dev.mim4j.dsl.stage.Shape;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.Compilers;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;
import dev.mim4j.models.init.Initializers;

/** The compiled {@link Patchify}: a {@link PatchEmbed} under the stage's name ({@code patch_embed}). */
final class PatchifyStage implements CompiledStage {

    private final PatchEmbed embed;

    private PatchifyStage(PatchEmbed embed) {
        this.embed = embed;
    }

    /** MAE initialises the convolution like a Linear; BEiT and SimMIM keep libtorch's default. */
    static CompiledStage compile(Patchify stage, StageContext context) {
        PatchEmbed embed = context.module(new PatchEmbed(context.input().size(Shape.CHANNELS), stage.width(),
                stage.patchSize(), stage.norm() == null ? null : Compilers.norm(stage.norm(), stage.width())));
        if (context.initialization() == Initialization.XAVIER_UNIFORM) {
            Initializers.xavierUniformAsMatrix(embed.proj().weight());
        }
        return new PatchifyStage(embed);
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        return flow.withData(embed.forward(flow.data()));
    }

    @Override
    public LayerRole role() {
        return LayerRole.EMBEDDING;
    }
}
