package dev.mim4j.training.eval;

import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.Arrays;
import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;

/**
 * DINO's weighted k-nearest-neighbour classifier on frozen features: features are L2-normalised,
 * each test image's k most cosine-similar train images vote for their class with weight
 * {@code exp(similarity / temperature)}, and the class with the largest sum is the prediction.
 */
public final class Knn {

    /** DINO's number of neighbours. */
    public static final int DEFAULT_K = 20;

    /** DINO's temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.07;

    /** Test rows compared at once are capped so that a chunk's similarities hold about this many floats. */
    private static final long SIMILARITIES_PER_CHUNK = 1L << 24;

    private Knn() {
    }

    /** {@link #knn(Features, Features, int, double, int)} with DINO's k = 20 and temperature 0.07. */
    public static KnnResult knn(Features train, Features test, int classes) {
        return knn(train, test, DEFAULT_K, DEFAULT_TEMPERATURE, classes);
    }

    /**
     * Classifies every test row by its {@code k} nearest train rows and measures the accuracy.
     *
     * @param k at least 1 and at most the number of train rows
     * @param temperature positive
     * @param classes the labels of both sets must lie in {@code [0, classes)}
     * @throws IllegalArgumentException naming the first argument that does not fit, or an unlabelled row
     */
    public static KnnResult knn(Features train, Features test, int k, double temperature, int classes) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        return knn(train, test, k, temperature, classes,
                (int) Math.max(1, SIMILARITIES_PER_CHUNK / Math.max(1, train.count())));
    }

    /** The classifier comparing at most {@code chunkRows} test rows at once with the train rows. */
    static KnnResult knn(Features train, Features test, int k, double temperature, int classes, int chunkRows) {
        if (classes < 1) {
            throw new Mim4jException("kNN classes", "kNN classes " + classes + " must be at least 1");
        }
        checkSettings(k, temperature, train.count());
        if (train.width() != test.width()) {
            throw new Mim4jException("features", "kNN train features are " + train.width() + " wide but the test"
                    + " features are " + test.width() + "; both must come from the same encoder and pooling");
        }
        if (test.count() == 0) {
            throw new Mim4jException("features", "kNN has no test features to classify");
        }
        train.requireLabels("train", classes);
        test.requireLabels("test", classes);
        int[] testLabels = test.labels();
        TopAccuracy accuracy = new TopAccuracy(classes);
        int chunk = Math.max(1, Math.min(test.count(), chunkRows));
        try (PointerScope outer = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            Tensor trainT = unit(train.values()).t().contiguous();
            long[] longLabels = Arrays.stream(train.labels()).asLongStream().toArray();
            Tensor trainLabels = Tensors.longs(longLabels, longLabels.length);
            for (int from = 0; from < test.count(); from += chunk) {
                int rows = Math.min(chunk, test.count() - from);
                try (PointerScope scope = new PointerScope()) {
                    Tensor similarity = unit(test.values().narrow(0, from, rows)).mm(trainT);
                    T_TensorTensor_T nearest = similarity.topk(k, 1, true, true);
                    Tensor top = nearest.get0();
                    // exp((s - max) / T) scales a row's weights by one constant, so the vote is DINO's,
                    // without overflow at small temperatures
                    Tensor weights = top.sub(top.narrow(1, 0, 1)).div(new Scalar(temperature)).exp();
                    Tensor neighbourLabels = trainLabels.index_select(0, nearest.get1().flatten()).view(rows, k);
                    Tensor votes = zeros(rows, classes).scatter_add_(1, neighbourLabels, weights);
                    accuracy.add(votes, testLabels, from);
                }
            }
        }
        return new KnnResult(accuracy.top1(), accuracy.top5(), k, temperature, test.count());
    }

    /**
     * Throws unless {@code k} is between 1 and {@code trainCount} and {@code temperature} is positive and
     * finite: the checks of {@link #knn}, for callers that want them before extracting features.
     */
    public static void checkSettings(int k, double temperature, int trainCount) {
        if (k < 1 || k > trainCount) {
            throw new Mim4jException("kNN k", "kNN k " + k + " must be between 1 and the " + trainCount
                    + " train images");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new Mim4jException("kNN temperature", "kNN temperature " + temperature
                    + " must be positive and finite");
        }
    }

    /** Each row divided by its L2 norm (rows of zeros stay zero). */
    private static Tensor unit(Tensor rows) {
        return rows.div(rows.mul(rows).sum(new long[] {1}, true, new ScalarTypeOptional())
                .sqrt().clamp_min(new Scalar(1e-12)));
    }
}
