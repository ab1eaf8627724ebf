package dev.mim4j.training.distributed;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;

/**
 * The processes of one data-parallel run and their collectives, over libtorch's own c10d engine: a
 * {@code TCPStore} served by rank 0 for the rendezvous and a Gloo process group for the tensors (CPU). A world of
 * one makes every collective a no-op, so one process runs the same code. Every collective waits at most the
 * world's timeout and then fails naming the operation and this rank: a rank that died or hangs stops the others
 * instead of leaving them waiting forever. Join and use it on one thread, outside any
 * {@link org.bytedeco.javacpp.PointerScope} for {@link #join}; {@link #close()} leaves the group.
 */
public final class World implements AutoCloseable {

    private final Rendezvous rendezvous;
    private final Duration timeout;
    private final TCPStore store;
    private final ProcessGroupGloo group;

    private World(Rendezvous rendezvous, Duration timeout, TCPStore store, ProcessGroupGloo group) {
        this.rendezvous = rendezvous;
        this.timeout = timeout;
        this.store = store;
        this.group = group;
    }

    /** The world of this process alone. */
    public static World single() {
        return new World(Rendezvous.single(), Duration.ZERO, null, null);
    }

    /**
     * Meets the other processes of {@code rendezvous} (rank 0 serves the store; the others connect to it) and
     * forms the process group; a world of one meets nobody.
     *
     * @param timeout how long the rendezvous and each collective may take
     * @throws IllegalArgumentException for a timeout under a second
     * @throws WorldException when the others do not all arrive within the timeout
     */
    public static World join(Rendezvous rendezvous, Duration timeout) {
        Objects.requireNonNull(rendezvous, "rendezvous");
        if (timeout == null || timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new Mim4jException("timeout", "a world's timeout of " + timeout + " must be at least a second");
        }
        if (rendezvous.isSingle()) {
            return single();
        }
        TCPStore store;
        ProcessGroupGloo group;
        try {
            TCPStoreOptions options = new TCPStoreOptions().port((short) rendezvous.masterPort())
                    .isServer(rendezvous.rank() == 0)
                    .numWorkers(new SizeTPointer(1).put(rendezvous.worldSize()))
                    .waitWorkers(true)
                    .timeout(new Milliseconds(timeout.toMillis()));
            store = new TCPStore(rendezvous.masterAddress(), options);
            group = new ProcessGroupGloo(store, rendezvous.rank(), rendezvous.worldSize(),
                    ProcessGroupGloo.Options.create_default(new Milliseconds(timeout.toMillis())));
        } catch (RuntimeException e) {
            throw new WorldException("rank " + rendezvous.rank() + " of " + rendezvous.worldSize() + " could not meet"
                    + " the others at " + rendezvous.masterAddress() + ":" + rendezvous.masterPort() + " within "
                    + timeout.toSeconds() + " s (" + firstLine(e) + ")", e);
        }
        store.retainReference();
        group.retainReference();
        return new World(rendezvous, timeout, store, group);
    }

    public int rank() {
        return rendezvous.rank();
    }

    public int size() {
        return rendezvous.worldSize();
    }

    /** Whether this process writes what a run writes once (checkpoints, metrics, pictures): rank 0. */
    public boolean isFirst() {
        return rendezvous.rank() == 0;
    }

    /**
     * Replaces each tensor by its mean over the world, in place, in one coalesced all-reduce (the tensors must
     * share a type; a gradient bucket is such a list).
     */
    public void averageInPlace(List<Tensor> tensors) {
        if (group == null || tensors.isEmpty()) {
            return;
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            finish("averaging " + tensors.size() + " tensors", group.allreduce_coalesced(new TensorVector(
                    tensors.toArray(Tensor[]::new))));
            Scalar size = new Scalar((double) size());
            tensors.forEach(t -> t.div_(size));
        }
    }

    /** Overwrites each tensor with rank 0's, in place: the same start for every rank. */
    public void broadcastFromFirst(List<Tensor> tensors) {
        if (group == null) {
            return;
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor tensor : tensors) {
                finish("broadcasting from rank 0", group.broadcast(new TensorVector(tensor),
                        new BroadcastOptions().rootRank(0)));
            }
        }
    }

    /** Returns when every rank has called it. */
    public void barrier() {
        if (group != null) {
            finish("waiting for every rank", group.barrier());
        }
    }

    private void finish(String operation, Work work) {
        boolean done;
        try {
            done = work._wait(new Milliseconds(timeout.toMillis()));
        } catch (RuntimeException e) {
            throw failed(operation, e);
        }
        if (!done) {
            throw failed(operation, null);
        }
    }

    private WorldException failed(String operation, RuntimeException cause) {
        return new WorldException("rank " + rank() + " of " + size() + ": " + operation + " did not finish within "
                + timeout.toSeconds() + " s; another rank has died or hangs" + (cause == null ? ""
                : " (" + firstLine(cause) + ")"), cause);
    }

    private static String firstLine(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    @Override
    public void close() {
        if (group != null) {
            group.releaseReference();
            store.releaseReference();
        }
    }
}
