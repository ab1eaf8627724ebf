package dev.mim4j.training;

import java.util.List;

import dev.mim4j.training.distributed.World;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The named steps that close an accumulation window, around the forward and backward passes of its
 * micro-batches: {@link #arm} the reduction before the window's last backward pass, {@link #startReduction} it
 * after, {@link #reduce} (wait for) the gradients' means over the world, {@link #clip} them, {@link #update} the
 * parameters. Every rank runs them on the same averaged gradients, so the parameters stay the same everywhere; in
 * a world of one there is nothing to reduce.
 */
final class UpdateSteps implements AutoCloseable {

    private final AdamW optimizer;
    private final double maxGradientNorm;
    private final GradientBuckets buckets;
    private long backwardEnded;

    /** @param trained the parameters the optimiser updates, in the order the model registers them */
    UpdateSteps(AdamW optimizer, List<Tensor> trained, World world, double maxGradientNorm) {
        this.optimizer = optimizer;
        this.maxGradientNorm = maxGradientNorm;
        this.buckets = world.size() == 1 ? null : new GradientBuckets(trained, world);
    }

    /**
     * The next backward pass closes the window: its gradients are averaged over the world as they come.
     *
     * @param afterOthers whether micro-batches of the window came before it
     */
    void arm(boolean afterOthers) {
        if (buckets != null) {
            buckets.arm(afterOthers);
        }
    }

    /** After the window's last backward pass (or instead of it): starts what of the reduction has not started. */
    void startReduction() {
        backwardEnded = System.nanoTime();
        if (buckets != null) {
            buckets.startTheRest();
        }
    }

    /**
     * Waits until each gradient is its mean over the world.
     *
     * @return the seconds from the end of the window's backward pass to now (the ranks' agreement included): the
     *     part of the reduction that the backward pass did not hide; 0 in a world of one
     */
    double reduce() {
        if (buckets == null) {
            return 0;
        }
        buckets.await();
        return (System.nanoTime() - backwardEnded) / 1e9;
    }

    /**
     * Scales the gradients down to the config's maximum global norm, if they exceed it.
     *
     * @return their norm before
     */
    double clip() {
        try (PointerScope scope = new PointerScope()) {
            return GradientNorm.clip(optimizer.parameters().values(), maxGradientNorm);
        }
    }

    /** One AdamW update at {@code learningRate}, then clears the gradients for the next window. */
    void update(double learningRate) {
        try (PointerScope scope = new PointerScope()) {
            optimizer.step(learningRate);
            optimizer.zeroGrad();
        }
    }

    /** Drops the window's gradients without an update. */
    void discard() {
        try (PointerScope scope = new PointerScope()) {
            optimizer.zeroGrad();
        }
    }

    /** How many parameters have a gradient: what the ranks must agree on before their gradients are averaged. */
    int gradients() {
        int count = 0;
        try (PointerScope scope = new PointerScope()) {
            for (Tensor p : optimizer.parameters().values()) {
                if (p.grad().defined()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Removes the reduction's hooks from the parameters. */
    @Override
    public void close() {
        if (buckets != null) {
            buckets.close();
        }
    }
}
