package dev.mim4j.dsl.stage;

/**
 * Puts a learned class token (timm's {@code cls_token}) in front of the tokens, with the first row
 * of the position table when an {@link AddPositions} holds one for it.
 */
public record PrependClassToken() implements Stage<Tokens, Tokens> {

    @Override
    public Shape infer(Shape input) {
        return Shape.tokens(input.tokenCount() + 1, input.size(Shape.WIDTH));
    }
}
