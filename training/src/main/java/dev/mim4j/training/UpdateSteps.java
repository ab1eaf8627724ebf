package dev.mim4j.training;

import java.util.ArrayList;
import java.util.List;

import dev.mim4j.training.distributed.World;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The named steps that close an accumulation window, after the forward and backward passes of its micro-batches:
 * {@link #reduce} the gradients over the world, {@link #clip} them, {@link #update} the parameters. Every rank
 * runs them on the same averaged gradients, so the parameters stay the same everywhere; in a world of one the
 * reduction does nothing.
 */
final class UpdateSteps {

    private final AdamW optimizer;
    private final World world;
    private final double maxGradientNorm;

    UpdateSteps(AdamW optimizer, World world, double maxGradientNorm) {
        this.optimizer = optimizer;
        this.world = world;
        this.maxGradientNorm = maxGradientNorm;
    }

    /**
     * Replaces each gradient by its mean over the world (bucketed all-reduces).
     *
     * @return the seconds it took
     */
    double reduce() {
        if (world.size() == 1) {
            return 0;
        }
        long started = System.nanoTime();
        try (PointerScope scope = new PointerScope()) {
            List<Tensor> gradients = new ArrayList<>();
            for (Tensor p : optimizer.parameters().values()) {
                Tensor grad = p.grad();
                if (grad.defined()) {
                    gradients.add(grad);
                }
            }
            world.averageInPlace(gradients);
        }
        return (System.nanoTime() - started) / 1e9;
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
}
