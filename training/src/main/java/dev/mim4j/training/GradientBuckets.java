package dev.mim4j.training;

import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mim4j.models.Tensors;
import dev.mim4j.training.distributed.World;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.VoidTensorHook;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The gradients of a data-parallel run, averaged over the world while the backward pass still runs, as PyTorch's
 * DDP does: the parameters are cut into flat buckets of at most {@link World#BUCKET_BYTES}, the last registered
 * first (the backward pass reaches the last layers first), and a hook on each parameter copies its gradient into
 * its bucket; a bucket's all-reduce starts as soon as all of its gradients are in, while autograd goes on with the
 * layers before. Buckets start in their order on every rank, which is what pairs them up across ranks.
 *
 * <p>Only the backward pass of a window's last micro-batch is {@link #arm armed}: the micro-batches before it add up
 * their gradients locally, and the hook adds them to the bucket. After that backward pass (or instead of it, when
 * this rank's loss was not finite) {@link #startTheRest} fills in the parameters whose hook did not fire and starts
 * every bucket still waiting; then {@link #await} writes the means into the gradients. The hooks run where autograd
 * runs them, on the loop's thread on the CPU; a failure in one is kept and thrown from {@link #startTheRest}.
 */
final class GradientBuckets implements AutoCloseable {

    private final World world;
    private final List<Bucket> buckets = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    private final List<World.Pending> started = new ArrayList<>();
    private volatile boolean armed;
    private boolean addEarlier;
    private int nextToStart;
    private volatile RuntimeException failedInHook;

    /** One parameter's place in its bucket. */
    private static final class Slot {
        final Tensor parameter;
        final Tensor view;
        final Bucket bucket;
        VoidTensorHook hook; // kept: autograd calls it through its native peer
        int hookId;
        boolean arrived;

        Slot(Tensor parameter, Tensor view, Bucket bucket) {
            this.parameter = parameter;
            this.view = view;
            this.bucket = bucket;
        }
    }

    /** A flat buffer of the gradients of consecutive parameters of one type. */
    private static final class Bucket {
        final int index;
        final List<Slot> slots = new ArrayList<>();
        Tensor flat;
        int waiting;

        Bucket(int index) {
            this.index = index;
        }
    }

    /** Buckets for the trained {@code parameters}, in the order the model registers them, and their hooks. */
    GradientBuckets(List<Tensor> parameters, World world) {
        this.world = world;
        List<Tensor> lastFirst = new ArrayList<>(parameters);
        Collections.reverse(lastFirst);
        Map<ScalarType, List<Tensor>> byType = new LinkedHashMap<>();
        lastFirst.forEach(p -> byType.computeIfAbsent(Tensors.scalarType(p), type -> new ArrayList<>()).add(p));
        try (PointerScope scope = new PointerScope()) {
            for (List<Tensor> sameType : byType.values()) {
                for (List<Tensor> run : World.bucketsOf(sameType)) {
                    buckets.add(bucket(run));
                }
            }
        }
    }

    private Bucket bucket(List<Tensor> run) {
        Bucket bucket = new Bucket(buckets.size());
        long elements = run.stream().mapToLong(Tensor::numel).sum();
        Tensor first = run.get(0);
        bucket.flat = zeros(new long[] {elements},
                new TensorOptions(first.scalar_type()).device(new DeviceOptional(first.device())));
        bucket.flat.retainReference(); // ours until close(), past the constructor's scope
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
            slot.hook.retainReference(); // its native peer must outlive the constructor's scope
            slot.hookId = parameter.register_hook(slot.hook);
            slots.add(slot);
            bucket.slots.add(slot);
            offset += parameter.numel();
        }
        return bucket;
    }

    /**
     * The next backward pass is the window's last: its gradients go to the buckets.
     *
     * @param afterOthers whether micro-batches of the window came before it, whose gradients the parameters hold
     */
    void arm(boolean afterOthers) {
        armed = true;
        addEarlier = afterOthers;
        nextToStart = 0;
        started.clear();
        for (Bucket bucket : buckets) {
            bucket.waiting = bucket.slots.size();
        }
        for (Slot slot : slots) {
            slot.arrived = false;
        }
    }

    /** A parameter's gradient of the armed backward pass, before autograd adds it to the parameter's own. */
    private void arrived(Slot slot, TensorBase gradient) {
        if (!armed || slot.arrived) {
            return;
        }
        try {
            try (PointerScope scope = new PointerScope()) {
                Tensor incoming = new Tensor(gradient);
                Tensor earlier = slot.parameter.grad();
                if (!incoming.defined()) {
                    fillFromOwnGradient(slot);
                } else if (addEarlier && earlier.defined()) {
                    slot.view.copy_(incoming.add(earlier));
                } else {
                    slot.view.copy_(incoming);
                }
            }
            slot.arrived = true;
            if (--slot.bucket.waiting == 0) {
                startReady();
            }
        } catch (RuntimeException e) {
            // thrown back through autograd it would come out of backward() as a bare native error
            if (failedInHook == null) {
                failedInHook = e;
            }
        }
    }

    /** A parameter without a gradient in this backward pass: what it holds from the window, or zeros. */
    private static void fillFromOwnGradient(Slot slot) {
        try (PointerScope scope = new PointerScope()) {
            Tensor own = slot.parameter.grad();
            if (own.defined()) {
                slot.view.copy_(own);
            } else {
                slot.view.zero_();
            }
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
     * After the armed backward pass, or instead of it: fills in the parameters whose hook did not fire (no gradient
     * on this rank this time, or no backward pass at all when the rank's loss was not finite) and starts every
     * bucket not started yet, in order, before any other collective of the step.
     *
     * @throws RuntimeException what failed in a hook during the backward pass
     */
    void startTheRest() {
        if (!armed) {
            return;
        }
        armed = false;
        RuntimeException failure = failedInHook;
        if (failure != null) {
            failedInHook = null;
            throw failure;
        }
        for (Slot slot : slots) {
            if (!slot.arrived) {
                fillFromOwnGradient(slot);
            }
        }
        while (nextToStart < buckets.size()) {
            start(buckets.get(nextToStart++));
        }
    }

    /** Waits for every bucket and puts its mean into the gradients of its parameters that have one. */
    void await() {
        try {
            for (World.Pending pending : started) {
                pending.await();
            }
        } finally {
            abandonStarted();
        }
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

    /** Lets go of the sums started (those awaited are already let go of). */
    private void abandonStarted() {
        started.forEach(World.Pending::abandon);
        started.clear();
    }

    /** Removes the hooks and frees the buckets, and any sum still under way after a failure. */
    @Override
    public void close() {
        abandonStarted();
        for (Slot slot : slots) {
            slot.parameter.remove_hook(slot.hookId);
            slot.hook.releaseReference();
            slot.view.releaseReference();
        }
        for (Bucket bucket : buckets) {
            bucket.flat.releaseReference();
        }
    }
}
