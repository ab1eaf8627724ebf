package dev.mim4j.models.swin;

import dev.mim4j.dsl.stage.SwinBlock;
import dev.mim4j.models.compile.Compilers;

/** Registers the compilers of Swin's own stages (patch merging is a general stage, registered with the others). */
public final class SwinStages {

    private SwinStages() {
    }

    /** Called once by {@link Compilers}. */
    public static void register() {
        Compilers.stage(SwinBlock.class, SwinBlockStage::compile);
    }
}
