package dev.mim4j.training.eval;

import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.training.EncoderEvaluation;
import dev.mim4j.training.data.ImageDataset;

/**
 * kNN accuracy of the encoder's frozen features as a pre-training monitor: the features of a
 * labelled memory bank and of labelled queries, both through the evaluation view, classified with
 * DINO's weighted vote ({@link Knn}).
 */
public final class KnnMonitor implements EncoderEvaluation {

    private final ImageDataset bank;
    private final ImageDataset queries;
    private final ImageTransform view;
    private final Pooling pooling;
    private final int k;
    private final double temperature;
    private final int batchSize;
    private final int workers;

    /**
     * @param bank labelled images whose features vote, e.g. the pre-training images
     * @param queries labelled images classified by the votes, e.g. a held-out split
     * @param view the evaluation transform, giving images of the encoder's input size
     * @throws IllegalArgumentException naming what is missing, unlabelled or out of range
     */
    public KnnMonitor(ImageDataset bank, ImageDataset queries, ImageTransform view, Pooling pooling, int k,
            double temperature, int batchSize, int workers) {
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(pooling, "pooling");
        requireLabels("memory bank", bank);
        requireLabels("queries", queries);
        Knn.checkSettings(k, temperature, bank.size());
        if (batchSize < 1 || workers < 1) {
            throw new Mim4jException("kNN monitor batch", "kNN monitor batch " + batchSize + " and workers " + workers
                    + " must be at least 1");
        }
        this.bank = bank;
        this.queries = queries;
        this.view = view;
        this.pooling = pooling;
        this.k = k;
        this.temperature = temperature;
        this.batchSize = batchSize;
        this.workers = workers;
    }

    @Override
    public String metric() {
        return "knn_top1";
    }

    @Override
    public double measure(Encoder encoder) {
        try (Features train = FeatureExtractor.extract(encoder, bank, view, pooling, batchSize, workers);
                Features test = FeatureExtractor.extract(encoder, queries, view, pooling, batchSize, workers)) {
            int classes = Math.max(1, Math.max(train.classCount(), test.classCount()));
            return Knn.knn(train, test, k, temperature, classes).top1();
        }
    }

    private static void requireLabels(String role, ImageDataset dataset) {
        if (dataset.size() == 0) {
            throw new Mim4jException("data", "the kNN monitor's " + role + " (" + dataset.describe()
                    + ") has no images");
        }
        if (dataset.label(0) < 0) {
            throw new Mim4jException("data", "the kNN monitor's " + role + " (" + dataset.describe()
                    + ") has no labels; it needs labelled images (IDX data with its labels file, class"
                    + " sub-folders, or CIFAR)");
        }
    }
}
