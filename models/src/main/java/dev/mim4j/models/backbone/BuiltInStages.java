package dev.mim4j.models.backbone;

import dev.mim4j.dsl.stage.AddPositions;
import dev.mim4j.dsl.stage.DropMaskedTokens;
import dev.mim4j.dsl.stage.Norm;
import dev.mim4j.dsl.stage.Patchify;
import dev.mim4j.dsl.stage.PrependClassToken;
import dev.mim4j.dsl.stage.ReplaceMaskedTokens;
import dev.mim4j.models.compile.PartRegistry;

/**
 * Registers the compilers of the stages every backbone may use (patch embedding, masked-token points, positions,
 * class token, norm), as a user registers those of theirs; ViT's blocks and Swin's are registered by
 * {@code VitStages} and {@code SwinStages}.
 */
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
        parts.stage(Norm.class, NormStage::compile);
    }
}
