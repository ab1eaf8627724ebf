package dev.mim4j.models.vit;

import dev.mim4j.dsl.stage.SharedRelativeBias;
import dev.mim4j.dsl.stage.TransformerBlock;
import dev.mim4j.models.compile.PartRegistry;

/** Registers the compilers of ViT's own stages: its transformer blocks and BEiT's shared relative position bias. */
public final class VitStages {

    private VitStages() {
    }

    /** Called once by {@link dev.mim4j.models.BuiltInParts}. */
    public static void register(PartRegistry parts) {
        parts.stage(TransformerBlock.class, TransformerBlockStage::compile);
        parts.stage(SharedRelativeBias.class, SharedRelativeBiasStage::compile);
    }
}
