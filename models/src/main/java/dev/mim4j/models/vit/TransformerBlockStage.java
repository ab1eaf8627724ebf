package dev.mim4j.models.vit;

import dev.mim4j.dsl.stage.TransformerBlock;
import dev.mim4j.models.compile.CompiledStage;
import dev.mim4j.models.compile.LayerRole;
import dev.mim4j.models.compile.StageContext;
import dev.mim4j.models.compile.TokenFlow;

/** The compiled {@link TransformerBlock}: a {@link Block} under the stage's name ({@code blocks.N}). */
final class TransformerBlockStage implements CompiledStage {

    private final Block block;

    private TransformerBlockStage(Block block) {
        this.block = block;
    }

    static CompiledStage compile(TransformerBlock stage, StageContext context) {
        Block block = context.module(new Block(stage.block()));
        block.initialize(context.initialization(), context.blockIndex() + 1);
        return new TransformerBlockStage(block);
    }

    @Override
    public TokenFlow forward(TokenFlow flow) {
        return flow.withData(block.forward(flow.data(), flow.logitBias()));
    }

    @Override
    public LayerRole role() {
        return LayerRole.BLOCK;
    }
}
