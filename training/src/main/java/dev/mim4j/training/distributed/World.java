package dev.mim4j.training.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BarrierOptions;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The processes of one data-parallel run and their collectives, over libtorch's own c10d engine: a
 * {@code TCPStore} served by rank 0 for the rendezvous, and a Gloo process group for tensors on the CPU or an NCCL
 * one for tensors on CUDA (each rank on the GPU of its local rank). A world of
 * one makes every collective a no-op, so one process runs the same code. Every collective waits at most the
 * world's timeout and then fails naming the operation and this rank: a rank that died or hangs stops the others
 * instead of leaving them waiting forever. After a failure the ranks' collectives no longer pair up, so the world
 * refuses every later one. Use it on one thread; {@link #close()} leaves the group.
 */
public final class World implements AutoCloseable {

    private final Rendezvous rendezvous;
    private final Duration timeout;
    private final TCPStore store;
    private final Backend group;
    private final Device device;
    private String failure;
    private boolean closed;

    private World(Rendezvous rendezvous, Duration timeout, TCPStore store, Backend group, Device device) {
        this.rendezvous = rendezvous;
        this.timeout = timeout;
        this.store = store;
        this.group = group;
        this.device = device;
    }

    /** The world of this process alone. */
    public static World single() {
        return new World(Rendezvous.single(), Duration.ZERO, null, null, new Device("cpu"));
    }

    /** {@link #join(Rendezvous, Duration, Device)} for tensors on the CPU (Gloo). */
    public static World join(Rendezvous rendezvous, Duration timeout) {
        return join(rendezvous, timeout, new Device("cpu"));
    }

    /**
     * Meets the other processes of {@code rendezvous} (rank 0 serves the store; the others connect to it) and
     * forms the process group; a world of one meets nobody.
     *
     * @param timeout how long the rendezvous and each collective may take
     * @param device where the run's tensors are ({@link dev.mim4j.training.Devices#resolve(String, int)}): NCCL
     *     for CUDA (the presets' GPU build), Gloo otherwise
     * @throws IllegalArgumentException for a timeout under a second
     * @throws WorldException when the others do not all arrive within the timeout
     */
    public static World join(Rendezvous rendezvous, Duration timeout, Device device) {
        Objects.requireNonNull(rendezvous, "rendezvous");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new Mim4jException("timeout", "a world's timeout of " + timeout + " must be at least a second");
        }
        Objects.requireNonNull(device, "device");
        if (rendezvous.isSingle()) {
            return new World(rendezvous, Duration.ZERO, null, null, device);
        }
        TCPStore store = null;
        Backend group;
        try (TCPStoreOptions options = new TCPStoreOptions()) {
            // the port is a uint16_t in C++: a Java short carries the same 16 bits for ports above 32767
            options.port((short) rendezvous.masterPort())
                    .isServer(rendezvous.rank() == 0)
                    .numWorkers(new SizeTPointer(1).put(rendezvous.worldSize()))
                    .waitWorkers(true)
                    .timeout(new Milliseconds(timeout.toMillis()));
            store = new TCPStore(rendezvous.masterAddress(), options);
            group = device.is_cuda() ? NcclGroup.create(store, rendezvous.rank(), rendezvous.worldSize(), timeout)
                    : new ProcessGroupGloo(store, rendezvous.rank(), rendezvous.worldSize(),
                            ProcessGroupGloo.Options.create_default(new Milliseconds(timeout.toMillis())));
        } catch (RuntimeException | LinkageError e) {
            if (store != null) {
                store.close(); // rank 0's server would otherwise hold the port until the collector came by
            }
            throw new WorldException("rank " + rendezvous.rank() + " of " + rendezvous.worldSize() + " could not meet"
                    + " the others at " + rendezvous.masterAddress() + ":" + rendezvous.masterPort() + " within "
                    + timeout.toSeconds() + " s (" + firstLine(e) + (e instanceof LinkageError ? "; NCCL needs the"
                    + " presets' GPU build, -Pcuda" : "") + ")", e);
        }
        // a reference each of our own, so that no PointerScope open around join() frees them with its tensors
        store.retainReference();
        group.retainReference();
        return new World(rendezvous, timeout, store, group, device);
    }

    /** This process's place in the world, from 0; rank 0 writes what the run writes once. */
    public int rank() {
        return rendezvous.rank();
    }

    /** The number of processes. */
    public int size() {
        return rendezvous.worldSize();
    }

    /** Where the tensors of this world's collectives are: the CPU (Gloo), or this rank's GPU (NCCL). */
    public Device device() {
        return device;
    }

    /** This process's place among those on its machine, which GPU it takes. */
    public int localRank() {
        return rendezvous.localRank();
    }

    /** How long a collective may take before this rank gives up on the others. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether this process writes what a run writes once (checkpoints, metrics, pictures): rank 0. */
    public boolean isFirst() {
        return rendezvous.rank() == 0;
    }

    /**
     * Replaces each tensor by its mean over the world, in place (a sum, then a division: Gloo has no mean). The
     * tensors go in buckets of at most {@link #BUCKET_BYTES} (a larger tensor alone), one coalesced all-reduce
     * each, all under way at once: never one all-reduce per tensor.
     *
     * @throws IllegalArgumentException naming the first tensor that is undefined, not floating point, or of
     *         another type or device than the first
     */
    public void averageInPlace(List<Tensor> tensors) {
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == null || !t.defined() || !t.is_floating_point()) {
                throw new Mim4jException("tensors", "tensor " + i + " of " + tensors.size() + " to average is "
                        + (t == null || !t.defined() ? "undefined" : "of type " + Tensors.scalarType(t))
                        + ": only floating-point tensors can be averaged");
            }
            Tensor first = tensors.get(0);
            String device = t.device().str().getString();
            String firstDevice = first.device().str().getString();
            if (Tensors.scalarType(t) != Tensors.scalarType(first) || !device.equals(firstDevice)) {
                throw new Mim4jException("tensors", "tensor " + i + " to average is " + Tensors.scalarType(t) + " on "
                        + device + ", tensor 0 " + Tensors.scalarType(first) + " on " + firstDevice + ": one"
                        + " all-reduce takes one type on one device");
            }
        }
        if (group == null || tensors.isEmpty()) {
            return;
        }
        String operation = "averaging " + tensors.size() + " tensors";
        checkUsable(operation);
        List<Pending> started = new ArrayList<>();
        try (NoGradGuard guard = new NoGradGuard(); Scalar size = new Scalar((double) size())) {
            try {
                for (List<Tensor> bucket : bucketsOf(tensors)) {
                    try (TensorVector vector = new TensorVector(bucket.toArray(Tensor[]::new))) {
                        started.add(start(operation, () -> group.allreduce_coalesced(vector)));
                    }
                }
                for (Pending pending : started) {
                    pending.await();
                }
            } finally {
                started.forEach(Pending::abandon);
            }
            tensors.forEach(t -> t.div_(size));
        }
    }

    /** The bytes one all-reduce of {@link #averageInPlace} carries at most, as DDP's buckets: 25 MiB. */
    public static final long BUCKET_BYTES = 25L << 20;

    /** {@code tensors} cut in order into runs of at most {@link #BUCKET_BYTES} each (a larger tensor alone). */
    public static List<List<Tensor>> bucketsOf(List<Tensor> tensors) {
        List<List<Tensor>> buckets = new ArrayList<>();
        List<Tensor> bucket = new ArrayList<>();
        long bytes = 0;
        for (Tensor t : tensors) {
            long size = t.numel() * t.element_size();
            if (!bucket.isEmpty() && bytes + size > BUCKET_BYTES) {
                buckets.add(bucket);
                bucket = new ArrayList<>();
                bytes = 0;
            }
            bucket.add(t);
            bytes += size;
        }
        if (!bucket.isEmpty()) {
            buckets.add(bucket);
        }
        return buckets;
    }

    /**
     * The sums over the world of each rank's {@code values}, element by element: how the ranks agree on what
     * each of them saw (a non-finite loss, a request to stop, the end of its shard, its place in the data).
     */
    public long[] sum(long... values) {
        checkValues(values.length);
        if (group == null) {
            return values.clone();
        }
        try (PointerScope scope = new PointerScope()) {
            return Tensors.toLongs(summed(Tensors.longs(values, values.length), "agreeing on " + values.length
                    + " counts"));
        }
    }

    /** The sums over the world of each rank's {@code values}, element by element (the ranks' losses, say). */
    public float[] sum(float... values) {
        checkValues(values.length);
        if (group == null) {
            return values.clone();
        }
        try (PointerScope scope = new PointerScope()) {
            return Tensors.toFloats(summed(Tensors.floats(values, values.length), "summing " + values.length
                    + " values"));
        }
    }

    /**
     * Starts summing {@code tensor} over the world, in place, and returns at once; {@link Pending#await()} waits for
     * it. The ranks must start their sums in the same order: that is how Gloo and NCCL pair them up.
     */
    public Pending startSum(Tensor tensor, String operation) {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(operation, "operation");
        checkUsable(operation);
        if (group == null) {
            return new Pending(null, operation);
        }
        try (TensorVector vector = new TensorVector(tensor)) {
            return start(operation, () -> group.allreduce(vector));
        }
    }

    /** Starts a collective, to be awaited with the world's timeout. */
    private Pending start(String operation, Supplier<Work> collective) {
        try {
            Work work = collective.get();
            work.retainReference(); // ours until awaited, whatever PointerScope is open (autograd's hooks run in one)
            return new Pending(work, operation);
        } catch (RuntimeException e) {
            throw failed(operation, e, timeout);
        }
    }

    /** A sum {@link #startSum started} and not yet waited for. */
    public final class Pending {
        private final Work work;
        private final String operation;
        private boolean released;

        private Pending(Work work, String operation) {
            this.work = work;
            this.operation = operation;
        }

        /** Returns once the sum is in the tensor; fails as every collective of the world does. */
        public void await() {
            if (work != null && !released) {
                try {
                    World.this.await(operation, work, timeout);
                } finally {
                    abandon();
                }
            }
        }

        /** Lets go of the sum without waiting for it, after a failure: its tensor's result is not wanted. */
        public void abandon() {
            if (work != null && !released) {
                released = true;
                work.releaseReference();
            }
        }
    }

    private static void checkValues(int count) {
        if (count == 0) {
            throw new Mim4jException("values", "a sum over the world needs at least one value, not none");
        }
    }

    /** {@code values} (on the CPU) summed over the world, on the CPU, inside the caller's pointer scope. */
    private Tensor summed(Tensor values, String operation) {
        checkUsable(operation);
        Tensor sums = values.to(device, values.scalar_type());
        try (TensorVector vector = new TensorVector(sums)) {
            finish(operation, () -> group.allreduce(vector), timeout);
        }
        return sums.cpu();
    }

    /**
     * Overwrites each tensor with rank 0's, in place: the same start for every rank. The tensors travel as one
     * flat buffer per type, so the wait is one broadcast's whatever their number.
     */
    public void broadcastFromFirst(List<Tensor> tensors) {
        if (group == null || tensors.isEmpty()) {
            return;
        }
        String operation = "broadcasting " + tensors.size() + " tensors from rank 0";
        checkUsable(operation);
        Map<ScalarType, List<Tensor>> byType = new LinkedHashMap<>();
        tensors.forEach(t -> byType.computeIfAbsent(Tensors.scalarType(t), type -> new ArrayList<>()).add(t));
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard();
                BroadcastOptions fromFirst = new BroadcastOptions()) {
            fromFirst.rootRank(0);
            for (List<Tensor> sameType : byType.values()) {
                Tensor flat = torch.cat(new TensorVector(sameType.stream().map(t -> t.reshape(-1))
                        .toArray(Tensor[]::new)));
                try (TensorVector vector = new TensorVector(flat)) {
                    finish(operation, () -> group.broadcast(vector, fromFirst), timeout);
                }
                long offset = 0;
                for (Tensor t : sameType) {
                    long n = t.numel();
                    t.copy_(flat.narrow(0, offset, n).view(t.sizes()));
                    offset += n;
                }
            }
        }
    }

    /** Returns when every rank has called it, or fails after the world's timeout. */
    public void barrier() {
        if (group != null) {
            barrier(timeout, "waiting for every rank");
        }
    }

    /**
     * Returns when every rank has called it, waiting up to {@code limit} rather than the world's timeout: for
     * the ranks that wait while rank 0 does what it alone does (an evaluation, a checkpoint). A rank that dies
     * still ends the wait at once.
     *
     * @param operation what the ranks wait for, for the message of a failure
     */
    public void barrier(Duration limit, String operation) {
        Objects.requireNonNull(operation, "operation");
        if (limit == null || limit.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new Mim4jException("limit", "waiting for every rank needs a limit of at least a second, not "
                    + limit);
        }
        if (group == null) {
            return;
        }
        checkUsable(operation);
        try (BarrierOptions options = new BarrierOptions(); Milliseconds millis = new Milliseconds(limit.toMillis())) {
            options.timeout(millis);
            if (device.is_cuda()) {
                // NCCL's barrier otherwise guesses the GPU from the rank, not this process's
                options.device_ids(new LongVector(1).put(0, localRank()));
            }
            finish(operation, () -> group.barrier(options), limit);
        }
    }

    private void checkUsable(String operation) {
        if (failure != null) {
            throw new WorldException("rank " + rank() + " of " + size() + ": " + operation + " refused: this world"
                    + " failed earlier (" + failure + "), after which the ranks' collectives no longer pair up", null);
        }
    }

    /** Starts a collective and waits for it, at most {@code bound}. */
    private void finish(String operation, Supplier<Work> start, Duration bound) {
        Work work;
        try {
            work = start.get();
        } catch (RuntimeException e) {
            throw failed(operation, e, bound);
        }
        try (work) {
            await(operation, work, bound);
        }
    }

    /** Waits for a collective under way, at most {@code bound}. */
    private void await(String operation, Work work, Duration bound) {
        try (Milliseconds limit = new Milliseconds(bound.toMillis())) {
            work._wait(limit); // throws on a timeout or a peer's failure; never returns false
        } catch (RuntimeException e) {
            throw failed(operation, e, bound);
        }
    }

    /** Marks the world failed and tells why, a timeout apart from a peer's failure. */
    private WorldException failed(String operation, RuntimeException e, Duration bound) {
        String reason = firstLine(e);
        String lower = reason.toLowerCase(Locale.ROOT);
        // Gloo says "Timed out waiting ..." or, when its pair gave up first, "Application timeout caused pair closure"
        boolean timedOut = lower.contains("timed out") || lower.contains("timeout");
        failure = operation + ": " + reason;
        return new WorldException("rank " + rank() + " of " + size() + ": " + operation + (timedOut
                ? " did not finish within " + bound.toSeconds() + " s; another rank has died or hangs"
                : " failed; another rank has died or left") + " (" + reason + ")", e);
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    @Override
    public void close() {
        if (group != null && !closed) {
            closed = true;
            group.releaseReference(); // the group first: it holds the store
            store.releaseReference();
        }
    }
}
