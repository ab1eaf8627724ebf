package dev.mim4j.dsl.stage;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;

/**
 * BEiT's relative position bias shared by all the blocks that follow: one learned bias per head
 * for every offset between two grid positions (and for the class token), added to every block's
 * attention logits ({@code rel_pos_bias.relative_position_bias_table}).
 *
 * @param rows rows of the patch grid
 * @param columns columns of the patch grid
 * @param heads attention heads of the blocks
 * @param prefixTokens 1 when a class token precedes the patch tokens, else 0
 */
public record SharedRelativeBias(int rows, int columns, int heads, int prefixTokens)
        implements Stage<Tokens, Tokens> {

    public SharedRelativeBias {
        atLeastOne("relative bias rows", rows);
        atLeastOne("relative bias columns", columns);
        atLeastOne("relative bias heads", heads);
        check(prefixTokens == 0 || prefixTokens == 1,
                "relative bias prefix tokens %d must be 0 or 1 (a class token)", prefixTokens);
    }

    @Override
    public Shape infer(Shape input) {
        int tokens = input.tokenCount();
        check(tokens <= rows * columns + prefixTokens,
                "%d tokens do not fit a %dx%d grid with %d prefix tokens", tokens, rows, columns, prefixTokens);
        return input;
    }
}
