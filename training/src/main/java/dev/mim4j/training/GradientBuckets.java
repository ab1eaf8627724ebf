package dev.mim4j.training;

import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.mim4j.training.distributed.World;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.VoidTensorHook;

/**
 * The gradients of a data-parallel run, averaged over the world while the backward pass still runs, as PyTorch's
 * DDP does: the parameters are cut into flat buckets of at most {@link World#BUCKET_BYTES} (the last parameters
 * first, since the backward pass reaches them first), and a hook on each parameter copies its gradient into its
 * bucket; the bucket's all-reduce starts as soon as all of its gradients are in, while autograd goes on with the
 * layers before. Buckets start in their order on every rank, which is what pairs them up across ranks.
 *
 * <p>Only the backward pass of a window's last micro-batch is {@link #arm armed}: the micro-batches before it add up
 * their gradients locally. After that backward pass (or instead of it, when this rank's loss was not finite)
 * {@link #startTheRest} starts every bucket still waiting, then {@link #await} writes the means into the gradients.
 * Everything runs on the loop's thread: autograd calls the hooks there on the CPU.
 */
final class GradientBuckets implements AutoCloseable {

    private final World world;
    private final List<Bucket> buckets = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    private final List<World.Pending> started = new ArrayList<>();
    private boolean armed;
    private int nextToStart;

    /** One parameter's place in its bucket. */
    private static final class Slot {
        final Tensor parameter;
        final Tensor view;
        final Bucket bucket;
        VoidTensorHook hook; // kept: autograd calls it through its native peer
        int hookId;

        Slot(Tensor parameter, Tensor view, Bucket bucket) {
            this.parameter = parameter;
            this.view = view;
            this.bucket = bucket;
        }
    }

    /** A flat buffer of the gradients of consecutive parameters. */
    private static final class Bucket {
        final int index;
        final long elements;
        Tensor flat;
        int parameters;
        int waiting;

        Bucket(int index, long elements) {
            this.index = index;
            this.elements = elements;
        }
    }

    /** Buckets for {@code parameters} (in their registration order) and their hooks. */
    GradientBuckets(List<Tensor> parameters, World world) {
        this.world = world;
        List<Tensor> lastFirst = new ArrayList<>(parameters);
        Collections.reverse(lastFirst);
        List<List<Tensor>> runs = World.bucketsOf(lastFirst);
        for (List<Tensor> run : runs) {
            long elements = run.stream().mapToLong(Tensor::numel).sum();
            Bucket bucket = new Bucket(buckets.size(), elements);
            Tensor first = run.get(0);
            bucket.flat = zeros(new long[] {elements},
                    new TensorOptions(first.scalar_type()).device(new DeviceOptional(first.device())));
            bucket.flat.retainReference();
            long offset = 0;
            for (Tensor parameter : run) {
                Tensor view = bucket.flat.narrow(0, offset, parameter.numel()).view(parameter.sizes());
                view.retainReference();
                Slot slot = new Slot(parameter, view, bucket);
                slot.hook = new VoidTensorHook() {
                    @Override
                    public void call(TensorBase gradient) {
                        arrived(slot, gradient);
                    }
                };
                slot.hookId = parameter.register_hook(slot.hook);
                slots.add(slot);
                offset += parameter.numel();
                bucket.parameters++;
            }
            buckets.add(bucket);
        }
    }

    /** The next backward pass is the window's last: its gradients go to the buckets. */
    void arm() {
        armed = true;
        nextToStart = 0;
        started.clear();
        for (Bucket bucket : buckets) {
            bucket.waiting = bucket.parameters;
            bucket.flat.zero_(); // a parameter without a gradient this step adds nothing
        }
    }

    /** A parameter's gradient of the armed backward pass, before autograd adds it to the parameter's own. */
    private void arrived(Slot slot, TensorBase gradient) {
        if (!armed) {
            return;
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor incoming = new Tensor(gradient);
            Tensor earlier = slot.parameter.grad(); // the window's earlier micro-batches
            slot.view.copy_(earlier.defined() ? incoming.add(earlier) : incoming);
        }
        if (--slot.bucket.waiting == 0) {
            startReady();
        }
    }

    /** Starts the buckets whose gradients are all in, in order, up to the first that is not. */
    private void startReady() {
        while (nextToStart < buckets.size() && buckets.get(nextToStart).waiting == 0) {
            start(buckets.get(nextToStart++));
        }
    }

    private void start(Bucket bucket) {
        started.add(world.startSum(bucket.flat, "averaging gradient bucket " + (bucket.index + 1) + " of "
                + buckets.size()));
    }

    /**
     * After the armed backward pass, or instead of it: starts every bucket not started yet, in order (those
     * waiting for parameters without a gradient on this rank this step, or all of them when the rank's loss was
     * not finite), before any other collective of the step.
     */
    void startTheRest() {
        if (!armed) {
            return;
        }
        armed = false;
        while (nextToStart < buckets.size()) {
            start(buckets.get(nextToStart++));
        }
    }

    /** Waits for every bucket and puts its mean into the gradients of its parameters that have one. */
    void await() {
        for (World.Pending pending : started) {
            pending.await();
        }
        started.clear();
        try (PointerScope scope = new PointerScope(); Scalar size = new Scalar((double) world.size())) {
            for (Bucket bucket : buckets) {
                bucket.flat.div_(size);
            }
            for (Slot slot : slots) {
                Tensor gradient = slot.parameter.grad();
                if (gradient.defined()) {
                    gradient.copy_(slot.view);
                }
            }
        }
    }

    /** Removes the hooks and frees the buckets. */
    @Override
    public void close() {
        for (Slot slot : slots) {
            slot.parameter.remove_hook(slot.hookId);
            slot.view.releaseReference();
        }
        for (Bucket bucket : buckets) {
            bucket.flat.releaseReference();
        }
    }
}
