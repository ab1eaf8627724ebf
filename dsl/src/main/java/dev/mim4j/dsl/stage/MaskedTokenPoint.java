package dev.mim4j.dsl.stage;

import dev.mim4j.dsl.recipe.MaskedTokens;

/**
 * The typed point in a backbone's pipeline where a recipe's masked tokens are handled: replaced by
 * a mask token ({@link ReplaceMaskedTokens}, SimMIM: before the positions) or dropped
 * ({@link DropMaskedTokens}, MAE: after them). Without a mask, as for features, the point passes the
 * tokens through.
 */
public interface MaskedTokenPoint {

    /** The handling that happens here. */
    MaskedTokens handling();
}
