package dev.mim4j.training.eval;

import dev.mim4j.models.Tensors;
import org.bytedeco.pytorch.Tensor;

/** Counts top-1 and top-min(5, classes) hits of class scores against labels, batch by batch. */
final class TopAccuracy {

    private final int classes;
    private long top1;
    private long top5;
    private long count;

    TopAccuracy(int classes) {
        this.classes = classes;
    }

    /** Adds a batch: {@code scores} {@code [rows, classes]} for the labels {@code labels[from .. from + rows)}. */
    void add(Tensor scores, int[] labels, int from) {
        int rows = (int) scores.size(0);
        int m = Math.min(5, classes);
        long[] best = Tensors.toLongs(scores.topk(m, 1, true, true).get1());
        for (int r = 0; r < rows; r++) {
            int label = labels[from + r];
            if (best[r * m] == label) {
                top1++;
            }
            for (int j = 0; j < m; j++) {
                if (best[r * m + j] == label) {
                    top5++;
                    break;
                }
            }
        }
        count += rows;
    }

    double top1() {
        return (double) top1 / count;
    }

    double top5() {
        return (double) top5 / count;
    }
}
