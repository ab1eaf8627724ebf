package dev.mim4j.models.swin;

import dev.mim4j.dsl.stage.SwinBlock;
import dev.mim4j.models.compile.PartRegistry;

/** Registers the compilers of Swin's own stages (patch merging is a general stage, registered with the others). */
public final class SwinStages {

    private SwinStages() {
    }

    /** Called once by {@link dev.mim4j.models.BuiltInParts}. */
    public static void register(PartRegistry parts) {
        parts.stage(SwinBlock.class, SwinBlockStage::compile);
    }
}
