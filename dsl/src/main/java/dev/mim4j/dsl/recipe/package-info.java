/**
 * Masked-image-modelling recipes as values: a {@link dev.mim4j.dsl.recipe.MimRecipe} is a backbone plus five declarations (masking, masked-token handling, decoder, target, loss), so
 * that MAE, SimMIM and any mix of their parts differ in data, not in classes.
 */
package dev.mim4j.dsl.recipe;
