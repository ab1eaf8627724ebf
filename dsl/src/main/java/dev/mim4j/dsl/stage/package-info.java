/**
 * Typed stages and the pipelines made of them: the type parameters make a wrong connection (a
 * block fed with images) fail to compile, and shape inference makes a wrong size fail when the
 * pipeline is built.
 */
package dev.mim4j.dsl.stage;
