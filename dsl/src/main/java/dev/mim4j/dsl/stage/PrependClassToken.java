package dev.mim4j.dsl.stage;

/** Puts a learned class token (timm's {@code cls_token}) in front of the tokens. */
public record PrependClassToken() implements Stage<Tokens, Tokens> {

    @Override
    public Shape infer(Shape input) {
        return Shape.tokens(input.requireTokens().size(Shape.TOKENS) + 1, input.size(Shape.WIDTH));
    }
}
