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
import dev.mim4j.models.compile.Compilers;

/** Registers the compilers of the DSL's own stages, as a user registers those of theirs. */
public final class BuiltInStages {

    private BuiltInStages() {
    }

    /** Called once by {@link Compilers}. */
    public static void register() {
        Compilers.stage(Patchify.class, PatchifyStage::compile);
        Compilers.stage(ReplaceMaskedTokens.class, ReplaceMaskedTokensStage::compile);
        Compilers.stage(AddPositions.class, AddPositionsStage::compile);
        Compilers.stage(DropMaskedTokens.class, DropMaskedTokensStage::compile);
        Compilers.stage(PrependClassToken.class, PrependClassTokenStage::compile);
        Compilers.stage(SharedRelativeBias.class, SharedRelativeBiasStage::compile);
        Compilers.stage(TransformerBlock.class, TransformerBlockStage::compile);
        Compilers.stage(PatchMerging.class, PatchMergingStage::compile);
        Compilers.stage(Norm.class, NormStage::compile);
        Compilers.stage(Linear.class, LinearStage::compile);
        Compilers.stage(Unpatchify.class, UnpatchifyStage::compile);
    }
}
