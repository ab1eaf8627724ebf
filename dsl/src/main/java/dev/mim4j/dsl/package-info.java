/**
 * Specs of vision transformers as immutable, validated values: a mistake in a spec fails here,
 * with a sentence naming the field and the numbers, before any native code runs.
 *
 * <p>Nothing in this package depends on libtorch; the {@code models} module compiles these
 * values into modules without ever mutating them.
 */
package dev.mim4j.dsl;
