/**
 * The compiled forms of the block parts: the bases a part of your own subclasses ({@code PartModule},
 * {@code AttentionModule}, {@code MlpModule}, {@code NormModule}), registered with its compiler through a
 * {@link dev.mim4j.models.compile.PartProvider}, and the built-in MLP and layer norm that every backbone's blocks
 * use.
 */
package dev.mim4j.models.parts;
