package dev.mim4j.training.eval;

import static org.bytedeco.pytorch.global.torch.cross_entropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Tensors;
import dev.mim4j.training.LearningRateSchedule;
import dev.mim4j.training.data.Seeds;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * MAE's linear probe of a frozen encoder: a BatchNorm (no affine parameters) and a Linear trained
 * with LARS and cross-entropy under a per-iteration warm-up and half-cosine schedule, then
 * evaluated on test features.
 *
 * <p>MAE augments every image afresh each epoch (random resized crop, flip) and passes it through
 * the frozen encoder; this trains on precomputed features of one fixed view, the usual cheap
 * variant, which costs one encoder pass per image instead of one per image and epoch.
 */
public final class LinearProbe {

    /** Test rows scored at once. */
    private static final int EVALUATION_CHUNK = 4096;

    private LinearProbe() {
    }

    /**
     * Trains a head on {@code train} and measures it on {@code test} after each epoch. Each epoch visits
     * the train rows in an order drawn from (seed, epoch), in full batches (the few rows left over
     * change every epoch). Seeds libtorch's default generator with {@code config.seed()}.
     *
     * @param classes the labels of both sets must lie in {@code [0, classes)}
     * @param listener told of each epoch as it ends; may be null
     * @throws IllegalArgumentException naming the first argument that does not fit, or an unlabelled row
     */
    public static LinearProbeResult train(Features train, Features test, int classes, LinearProbeConfig config,
            Consumer<EpochAccuracy> listener) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(config, "config");
        if (classes < 1) {
            throw new Mim4jException("linear probe classes", "linear probe classes " + classes + " must be at least 1");
        }
        if (train.width() != test.width()) {
            throw new Mim4jException("features", "linear probe train features are " + train.width() + " wide but the"
                    + " test features are " + test.width() + "; both must come from the same encoder and pooling");
        }
        if (train.count() < 2) {
            throw new Mim4jException("features", "the linear probe needs at least 2 train images, as the head's"
                    + " BatchNorm does; got " + train.count());
        }
        if (test.count() == 0) {
            throw new Mim4jException("features", "the linear probe has no test features to measure");
        }
        train.requireLabels("train", classes);
        test.requireLabels("test", classes);
        int n = train.count();
        int batch = Math.min(config.batchSize(), n);
        int iterations = n / batch;
        double learningRate = config.learningRate(batch);
        LearningRateSchedule schedule = new LearningRateSchedule(learningRate, 0, config.warmupEpochs(),
                config.epochs());
        int[] trainLabels = train.labels();
        int[] testLabels = test.labels();
        List<EpochAccuracy> history = new ArrayList<>();
        TopAccuracy accuracy = null;
        try (PointerScope outer = new PointerScope()) {
            torch.manual_seed(config.seed());
            ProbeHead head = new ProbeHead(train.width(), classes);
            Lars optimizer = Lars.mae(head.trainable(), config.weightDecay());
            Tensor labels = Tensors.longs(Arrays.stream(trainLabels).asLongStream().toArray(), n);
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                int[] order = shuffle(n, Seeds.mix(config.seed(), epoch));
                double lossSum = 0;
                head.train(true);
                for (int step = 0; step < iterations; step++) {
                    try (PointerScope scope = new PointerScope()) {
                        long[] rows = new long[batch];
                        for (int j = 0; j < batch; j++) {
                            rows[j] = order[step * batch + j];
                        }
                        Tensor index = Tensors.longs(rows, batch);
                        Tensor loss = cross_entropy(head.forward(train.values().index_select(0, index)),
                                labels.index_select(0, index));
                        optimizer.zeroGrad();
                        loss.backward();
                        optimizer.step(schedule.at(epoch + (double) step / iterations));
                        lossSum += loss.item_double();
                    }
                }
                accuracy = evaluate(head, test, testLabels, classes);
                EpochAccuracy done = new EpochAccuracy(epoch, lossSum / iterations, accuracy.top1());
                history.add(done);
                if (listener != null) {
                    listener.accept(done);
                }
            }
        }
        return new LinearProbeResult(accuracy.top1(), accuracy.top5(), learningRate, batch, test.count(), history);
    }

    /** The head's accuracy on {@code test}, in eval mode (the BatchNorm's running statistics). */
    private static TopAccuracy evaluate(ProbeHead head, Features test, int[] labels, int classes) {
        TopAccuracy accuracy = new TopAccuracy(classes);
        head.train(false);
        for (int from = 0; from < test.count(); from += EVALUATION_CHUNK) {
            int rows = Math.min(EVALUATION_CHUNK, test.count() - from);
            try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
                accuracy.add(head.forward(test.values().narrow(0, from, rows)), labels, from);
            }
        }
        return accuracy;
    }

    /** A permutation of {@code 0 .. n - 1} drawn from {@code seed} (Fisher-Yates). */
    private static int[] shuffle(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
