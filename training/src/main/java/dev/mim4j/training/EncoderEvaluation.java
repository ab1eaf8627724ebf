package dev.mim4j.training;

import dev.mim4j.models.Encoder;

/**
 * A measurement of the encoder that a pre-training run takes every few epochs, such as the kNN
 * accuracy of its frozen features; the run reports it to its listeners ({@code metrics.jsonl}
 * receives an {@code "eval"} line).
 */
public interface EncoderEvaluation {

    /** The metric's name in the metrics, e.g. {@code "knn_top1"}. */
    String metric();

    /**
     * Measures {@code encoder} as it is after an epoch. It must not change the weights; it may switch
     * the encoder to eval mode if it switches it back.
     */
    double measure(Encoder encoder);
}
