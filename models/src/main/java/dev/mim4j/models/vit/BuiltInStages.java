package dev.mim4j.models.vit;

import dev.mim4j.dsl.stage.AddPositions;
import dev.mim4j.dsl.stage.DropMaskedTokens;
import dev.mim4j.dsl.stage.Linear;
import dev.mim4j.dsl.stage.Norm;
import dev.mim4j.dsl.stage.PatchMerging;
import dev.mim4j.dsl.stage.Patchify;
import dev.mim4j.dsl.stage.PrependClassToken;
import dev.mim4j.dsl.stage.ReplaceMaskedTokens;
import dev.mim4j.dsl.stage.SharedRelativeBias;
import dev.mim4j.dsl.stage.TransformerBlock;
import dev.mim4j.dsl.stage.Unpatchify;
import dev.mim4j.models.compile.PartRegistry;

/** Registers the compilers of the DSL's own stages, as a user registers those of theirs. */
public final class BuiltInStages {

    private BuiltInStages() {
    }

    /** Called once by {@link dev.mim4j.models.BuiltInParts}. */
    public static void register(PartRegistry parts) {
        parts.stage(Patchify.class, PatchifyStage::compile);
        parts.stage(ReplaceMaskedTokens.class, ReplaceMaskedTokensStage::compile);
        parts.stage(AddPositions.class, AddPositionsStage::compile);
        parts.stage(DropMaskedTokens.class, DropMaskedTokensStage::compile);
        parts.stage(PrependClassToken.class, PrependClassTokenStage::compile);
        parts.stage(SharedRelativeBias.class, SharedRelativeBiasStage::compile);
        parts.stage(TransformerBlock.class, TransformerBlockStage::compile);
        parts.stage(PatchMerging.class, PatchMergingStage::compile);
        parts.stage(Norm.class, NormStage::compile);
        parts.stage(Linear.class, LinearStage::compile);
        parts.stage(Unpatchify.class, UnpatchifyStage::compile);
    }
}
