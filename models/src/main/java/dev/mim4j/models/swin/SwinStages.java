package dev.mim4j.models.swin;

import dev.mim4j.dsl.stage.PatchMerging;
import dev.mim4j.dsl.stage.SwinBlock;
import dev.mim4j.models.compile.PartRegistry;

/** Registers the compilers of Swin's own stages: its blocks of shifted windows and the patch merging between them. */
public final class SwinStages {

    private SwinStages() {
    }

    /** Called once by {@link dev.mim4j.models.BuiltInParts}. */
    public static void register(PartRegistry parts) {
        parts.stage(SwinBlock.class, SwinBlockStage::compile);
        parts.stage(PatchMerging.class, PatchMergingStage::compile);
    }
}
