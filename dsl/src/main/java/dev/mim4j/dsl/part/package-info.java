/**
 * The parts of a transformer block (attention, MLP, normalisation) as open interfaces with their
 * built-in implementations; a backbone's blocks are made of one of each.
 */
package dev.mim4j.dsl.part;
