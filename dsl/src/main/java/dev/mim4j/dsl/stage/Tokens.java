package dev.mim4j.dsl.stage;

/**
 * The kind of data shaped [batch, tokens, width]: a sequence of tokens; used only as a type
 * parameter of {@link Stage} and {@link Pipeline}, never instantiated.
 */
public class Tokens {
    Tokens() {}
}
