/**
 * Charts of a run, drawn from its metrics file with JFreeChart and saved as PNG without a display:
 * the loss, the learning rate, evaluation accuracy per epoch, and sweeps such as accuracy against
 * mask ratio.
 */
package dev.mim4j.training.plot;
