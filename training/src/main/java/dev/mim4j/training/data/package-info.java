/**
 * The data pipeline in plain Java: datasets that decode images into float arrays, the transforms
 * of MAE's pre-training and evaluation, and a multi-threaded loader that delivers reproducible,
 * ordered batches in reused buffers.
 *
 * <p>Nothing here touches libtorch: loader threads only fill {@code float[]} buffers, and the one
 * thread that owns the model turns each batch into a tensor (see DESIGN.md, "Native memory and
 * threads").
 */
package dev.mim4j.training.data;
