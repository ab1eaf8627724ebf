/**
 * Statistics of masks in plain Java, such as SimMIM's AvgDist, computed over masks that a caller
 * samples (the policies themselves live in the models module and come in through
 * {@link dev.mim4j.training.masking.MaskSource}).
 */
package dev.mim4j.training.masking;
