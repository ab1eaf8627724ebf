package dev.mim4j.training.data;

/**
 * Hands positions {@code 0 .. end - 1} out to parallel workers and their results back in position
 * order, holding at most {@code capacity} results ahead of the consumer; this is what makes
 * batches come out in order however the workers' timing falls.
 */
final class ReorderWindow<T> {

    private final Object[] slots;
    private final int end;
    private int nextClaim;
    private int nextTake;
    private boolean closed;

    ReorderWindow(int start, int end, int capacity) {
        this.slots = new Object[capacity];
        this.end = end;
        this.nextClaim = start;
        this.nextTake = start;
    }

    /**
     * The next position to work on, waiting while the window is full; -1 when every position has
     * been handed out or the window is closed.
     */
    synchronized int claim() throws InterruptedException {
        while (!closed && nextClaim < end && nextClaim - nextTake >= slots.length) {
            wait();
        }
        return closed || nextClaim >= end ? -1 : nextClaim++;
    }

    /** Hands in the result for a {@code position} that {@link #claim()} gave out. */
    synchronized void put(int position, T result) {
        slots[position % slots.length] = result;
        notifyAll();
    }

    /**
     * The result for the next position in order, waiting until a worker has put it; null when all
     * positions have been taken or the window is closed.
     */
    @SuppressWarnings("unchecked")
    synchronized T take() throws InterruptedException {
        int slot = nextTake % slots.length;
        while (!closed && nextTake < end && slots[slot] == null) {
            wait();
        }
        if (closed || nextTake >= end) {
            return null;
        }
        T result = (T) slots[slot];
        slots[slot] = null;
        nextTake++;
        notifyAll();
        return result;
    }

    /** Stops handing out positions and results, and wakes everyone who waits. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
