/**
 * The compiled forms of the block parts: a part of your own subclasses one of these and registers
 * its compiler in {@link dev.mim4j.models.compile.Compilers}.
 */
package dev.mim4j.models.parts;
