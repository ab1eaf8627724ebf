package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.checkState;
import static dev.mim4j.models.image.DataChecks.count;
import static dev.mim4j.models.image.DataChecks.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;

/**
 * Decodes and augments the images of one epoch on worker threads and delivers them as
 * {@link Batch}es, in order, in a few reused buffers.
 *
 * <p><b>Reproducible.</b> The epoch's order is a permutation that depends only on (seed, epoch),
 * and each item is augmented from a random source that depends only on (seed, epoch, item), so
 * two runs give identical batches whatever the number of workers and however their timing falls.
 * {@link Builder#startBatch(int)} resumes an interrupted epoch with the very batches it would
 * have had ({@link Builder#resumeAt(int, int)} when images were skipped before).
 *
 * <p><b>Buffers.</b> At most {@code prefetch + 2} batch buffers exist, each allocated once when
 * first needed: {@code prefetch} ready batches, the one being filled, and the one the consumer
 * holds. The consumer copies a batch, then calls {@link #recycle(Batch)}; see {@link Batch}.
 *
 * <p><b>Bad images.</b> Under {@link BadImagePolicy#SKIP_AND_COUNT} an image that does not decode
 * is logged, counted in {@link #skippedImages()}, and its place taken by the next good item, so
 * batches stay full; the epoch then runs a little further into its order, and ends sooner: with
 * {@code dropLast} a last batch that can no longer be filled is dropped, without it the last
 * batch shrinks. Under {@link BadImagePolicy#FAIL} the batch that would hold it is not delivered:
 * {@link #next()} throws an {@link UncheckedIOException} naming the file. So it does, whatever the policy,
 * when more than {@link Builder#maxBadImages(double) a share} of the epoch's images are bad (1% in a training run),
 * and at the first {@link DataSourceGoneException}: an epoch of nothing but skips ends no run well.
 *
 * <p><b>Threads.</b> One consumer thread iterates. The workers and one assembling thread are
 * daemons named {@code mim4j-loader-N-...}; they end when the epoch is done or at
 * {@link #close()}, which the consumer must call when it stops early. A loader thread that dies (an
 * {@link OutOfMemoryError}, say) does not leave the consumer waiting: its next call throws what killed
 * it, naming the thread. Nothing here touches native memory.
 */
public final class BatchLoader implements AutoCloseable, Iterator<Batch> {

    /** The start of the name of every thread a loader starts. */
    public static final String THREAD_NAME_PREFIX = "mim4j-loader-";

    private static final System.Logger LOG = System.getLogger(BatchLoader.class.getName());
    private static final AtomicInteger LOADERS = new AtomicInteger();
    private static final Object END = new Object();
    private static final long JOIN_MILLIS = 30_000;
    /** How often a consumer waiting for a batch looks whether a loader thread died. */
    private static final long WAIT_MILLIS = 200;
    /** The share of an epoch's images that may be bad unless set: all of them, as a feature extraction wants. */
    public static final double DEFAULT_MAX_BAD_IMAGES = 1;

    private final ImageDataset dataset;
    private final ImageTransform transform;
    private final ImageSize output;
    private final int batchSize;
    private final long seed;
    private final int epoch;
    private final int startBatch;
    private final int startPosition;
    private final boolean dropLast;
    private final BadImagePolicy policy;
    private final double maxBadImages;
    private final int[] items;
    private final int batchesPerEpoch;
    private final int poolSize;
    private final ReorderWindow<Decoded> window;
    private final BlockingQueue<Buffer> free;
    private final BlockingQueue<Object> ready;
    private final Map<float[], Buffer> lent = new IdentityHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong skipped = new AtomicLong();
    private int created;
    private Object pending;
    private int delivered;
    private volatile boolean closed;
    /** What killed the first loader thread that died, and its name, for the consumer to throw. */
    private final AtomicReference<Death> died = new AtomicReference<>();

    private BatchLoader(Builder builder, int startPosition, int[] items, int batchesPerEpoch) {
        this.dataset = builder.dataset;
        this.transform = builder.transform;
        this.output = builder.output;
        this.batchSize = builder.batchSize;
        this.seed = builder.seed;
        this.epoch = builder.epoch;
        this.startBatch = builder.startBatch;
        this.startPosition = startPosition;
        this.dropLast = builder.dropLast;
        this.policy = builder.badImages != null ? builder.badImages : dataset.badImagePolicy();
        this.maxBadImages = builder.maxBadImages;
        this.items = items;
        this.batchesPerEpoch = batchesPerEpoch;
        int workers = builder.workers;
        int prefetch = builder.prefetch != null ? builder.prefetch : 2 * workers;
        this.poolSize = prefetch + 2;
        this.window = new ReorderWindow<>(startPosition, items.length, Math.max(16, 4 * workers));
        this.free = new ArrayBlockingQueue<>(poolSize);
        this.ready = new ArrayBlockingQueue<>(prefetch);
        this.delivered = startBatch;
        String name = THREAD_NAME_PREFIX + LOADERS.incrementAndGet() + "-";
        for (int i = 0; i < workers; i++) {
            threads.add(daemon(this::work, name + "worker-" + i));
        }
        threads.add(daemon(this::assemble, name + "assembler"));
    }

    /**
     * A builder for a loader of {@code dataset}'s images, each passed through {@code transform},
     * which must give images of exactly {@code output} size (the model's input).
     */
    public static Builder builder(ImageDataset dataset, ImageTransform transform, ImageSize output) {
        return new Builder(dataset, transform, output);
    }

    /**
     * Batches in an epoch of {@code datasetSize} images split over {@code shardCount} shards,
     * when no image is skipped: each shard gets {@code datasetSize / shardCount} items, cut into
     * full batches, plus a last partial one unless {@code dropLast}.
     */
    public static int batchesPerEpoch(int datasetSize, int batchSize, boolean dropLast, int shardCount) {
        check(datasetSize >= 0, "dataset size %d cannot be negative", datasetSize);
        atLeastOne("batch size", batchSize);
        atLeastOne("shard count", shardCount);
        int perShard = datasetSize / shardCount;
        return perShard / batchSize + (dropLast || perShard % batchSize == 0 ? 0 : 1);
    }

    /** Batches in this loader's whole epoch (from batch 0), when no image is skipped. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Images per batch; only an epoch's last batch can have fewer. */
    public int batchSize() {
        return batchSize;
    }

    /** The epoch this loader produces. */
    public int epoch() {
        return epoch;
    }

    /** The size of every image in a batch. */
    public ImageSize imageSize() {
        return output;
    }

    /** Images left out so far because they could not be read, under {@link BadImagePolicy#SKIP_AND_COUNT}. */
    public long skippedImages() {
        return skipped.get();
    }

    /**
     * Whether the epoch has another batch; waits for the workers if it is not ready yet.
     *
     * @throws UncheckedIOException if an image failed to read under {@link BadImagePolicy#FAIL}
     * @throws IllegalStateException if the consumer holds every buffer, so no batch can come
     */
    @Override
    public boolean hasNext() {
        return !closed && peek() != END;
    }

    /**
     * The next batch in order; its buffers are lent until {@link #recycle(Batch)}.
     *
     * @throws NoSuchElementException after the epoch's last batch
     * @throws UncheckedIOException if an image failed to read under {@link BadImagePolicy#FAIL};
     *     the message names the file
     * @throws IllegalStateException if the loader is closed, or the consumer holds every buffer
     */
    @Override
    public Batch next() {
        checkState(!closed, "the loader of %s is closed", dataset.describe());
        Object next = peek();
        if (next == END) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        pending = null;
        Batch batch = (Batch) next;
        synchronized (lent) {
            lent.put(batch.pixels(), new Buffer(batch.pixels(), batch.labels()));
        }
        delivered = batch.index() + 1;
        return batch;
    }

    /**
     * Hands {@code batch}'s buffers back to the loader, to be overwritten by a later batch; call
     * it once the batch's data is copied, and use the batch no more.
     *
     * @throws IllegalArgumentException if the batch was already recycled or is not this loader's
     */
    public void recycle(Batch batch) {
        given("batch", batch);
        Buffer buffer;
        synchronized (lent) {
            buffer = lent.remove(batch.pixels());
        }
        check(buffer != null, "batch %d of epoch %d was already recycled, or does not come from this loader",
                batch.index(), batch.epoch());
        free.add(buffer);
    }

    /**
     * Stops the threads and waits for them to end, even if batches are still queued; idempotent.
     * After it, {@link #hasNext()} is false, also for a consumer already waiting in it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        window.close();
        threads.forEach(Thread::interrupt);
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        for (Thread thread : threads) {
            while (thread.isAlive() && System.nanoTime() < deadline) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "loader thread {0} did not stop within {1} ms",
                        thread.getName(), JOIN_MILLIS);
            }
        }
        // A consumer that waits on another thread wakes up to an ended epoch.
        ready.clear();
        ready.offer(END);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next element of the ready queue, without taking it: a batch or END, or throws a failure. */
    private Object peek() {
        if (pending == null) {
            int held;
            synchronized (lent) {
                held = lent.size();
            }
            // With every buffer lent, the assembler cannot fill the next batch, and waiting would hang.
            checkState(held < poolSize || delivered >= batchesPerEpoch,
                    "the consumer holds all %d batch buffers; recycle a batch once it is copied, before asking for"
                            + " the next", poolSize);
            try {
                while (pending == null) {
                    throwIfAThreadDied();
                    pending = ready.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch " + delivered, e);
            }
        }
        if (pending instanceof Failure failure) {
            throw failure.rethrown();
        }
        return pending;
    }

    /**
     * Throws, on the consumer's thread, what killed a loader thread: an {@link OutOfMemoryError} as one (the
     * heap is what needs changing), anything else as an {@link IllegalStateException}; both name the thread.
     */
    private void throwIfAThreadDied() {
        Death death = died.get();
        if (death == null) {
            return;
        }
        if (death.cause() instanceof OutOfMemoryError) {
            OutOfMemoryError rethrown = new OutOfMemoryError(death.cause().getMessage() + " in the data loader's thread "
                    + death.thread() + ", making batches of " + batchSize + " images of " + output);
            rethrown.initCause(death.cause());
            throw rethrown;
        }
        throw new IllegalStateException("the data loader's thread " + death.thread() + " died: " + death.cause(),
                death.cause());
    }

    /** Keeps what killed a loader thread (the first such), for the consumer. */
    private void threadDied(Thread thread, Throwable cause) {
        died.compareAndSet(null, new Death(thread.getName(), cause));
    }

    /** A loader thread that died: its name, and what killed it. */
    private record Death(String thread, Throwable cause) {}

    /** A worker: decodes and transforms positions until there are none left or the loader closes. */
    private void work() {
        try {
            for (int position = window.claim(); position >= 0; position = window.claim()) {
                window.put(position, decode(items[position]));
            }
        } catch (InterruptedException e) {
            // close() interrupts to stop; nothing is left to do.
        }
    }

    private Decoded decode(int index) {
        try {
            FloatImage image = transform.apply(dataset.read(index), EpochOrder.augmentation(seed, epoch, index));
            if (!image.size().equals(output)) {
                return Decoded.crashed(new IllegalStateException("the transform made a " + image.size()
                        + " image of item " + index + ", but the loader's output is " + output));
            }
            return new Decoded(image, dataset.label(index), null, null);
        } catch (DataSourceGoneException e) {
            return Decoded.crashed(new UncheckedIOException(e.getMessage(), e));
        } catch (IOException e) {
            return new Decoded(null, -1, e, null);
        } catch (OutOfMemoryError e) {
            // One image too large for the heap is a bad image: the policy decides, the run goes on.
            return new Decoded(null, -1, new IOException("cannot read image " + dataset.describeItem(index)
                    + ": the JVM ran out of memory for it (" + e.getMessage() + "); lower the decode limits or the"
                    + " workers, or give the JVM more heap (-Xmx)", e), null);
        } catch (RuntimeException | Error e) {
            // Passed on to the consumer: a worker that died silently would hang the epoch.
            return Decoded.crashed(new IllegalStateException("reading " + dataset.describeItem(index)
                    + " failed: " + e, e));
        }
    }

    /** The assembler: copies results in position order into buffers and queues them as batches. */
    private void assemble() {
        try {
            int position = startPosition;
            int values = output.values();
            long allowedBad = BigDecimal.valueOf(maxBadImages).multiply(BigDecimal.valueOf(items.length))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
            for (int index = startBatch; index < batchesPerEpoch; index++) {
                Buffer buffer = acquire();
                int filled = 0;
                while (filled < batchSize) {
                    Decoded item = window.take();
                    if (closed) {
                        // Reads cut short by close() are no bad images; nobody listens any more.
                        return;
                    }
                    if (item == null) {
                        break;
                    }
                    position++;
                    if (item.crash != null) {
                        ready.put(new Failure(null, item.crash));
                        return;
                    }
                    if (item.bad != null) {
                        if (policy == BadImagePolicy.FAIL) {
                            ready.put(new Failure(item.bad, null));
                            return;
                        }
                        long bad = skipped.incrementAndGet();
                        if (bad > allowedBad) {
                            ready.put(new Failure(tooManyBad(bad, item.bad), null));
                            return;
                        }
                        LOG.log(System.Logger.Level.WARNING, "skipping a bad image ({0} so far): {1}", bad,
                                item.bad.getMessage());
                        continue;
                    }
                    System.arraycopy(item.image.pixels(), 0, buffer.pixels, filled * values, values);
                    buffer.labels[filled] = item.label;
                    filled++;
                }
                if (filled == 0 || (filled < batchSize && dropLast)) {
                    free.add(buffer);
                    break;
                }
                ready.put(new Batch(buffer.pixels, buffer.labels, filled, epoch, index, output, position));
            }
            ready.put(END);
        } catch (InterruptedException e) {
            // close() interrupts to stop; the consumer no longer listens.
        } finally {
            window.close();
        }
    }

    private IOException tooManyBad(long bad, IOException last) {
        return new IOException(bad + " of the epoch's " + items.length + " images could not be read, more than the "
                + percent(maxBadImages) + " allowed (" + dataset.describe() + "); the last: " + last.getMessage()
                + "; repair the data, or allow a larger share of bad images (--max-bad-images)", last);
    }

    private static String percent(double share) {
        return BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** A free buffer, a new one while fewer than the pool's size exist, else waits for a recycled one. */
    private Buffer acquire() throws InterruptedException {
        Buffer buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (created < poolSize) {
            created++;
            return new Buffer(new float[batchSize * output.values()], new int[batchSize]);
        }
        return free.take();
    }

    private Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(this::threadDied);
        return thread;
    }

    /** The arrays of one batch. */
    private record Buffer(float[] pixels, int[] labels) {}

    /**
     * Why the epoch stopped: a bad image under {@link BadImagePolicy#FAIL}, or a crash; thrown
     * anew on the consumer's thread at each call, so that its stack trace is the consumer's.
     */
    private record Failure(IOException bad, RuntimeException crash) {

        RuntimeException rethrown() {
            if (bad != null) {
                return new UncheckedIOException(bad.getMessage(), bad);
            }
            return crash instanceof UncheckedIOException io
                    ? new UncheckedIOException(io.getMessage(), io.getCause())
                    : new IllegalStateException(crash.getMessage(), crash);
        }
    }

    /** A worker's result for one item: an image and its label, a bad image, or a crash. */
    private record Decoded(FloatImage image, int label, IOException bad, RuntimeException crash) {

        static Decoded crashed(RuntimeException crash) {
            return new Decoded(null, -1, null, crash);
        }
    }

    /**
     * Collects a loader's options; only the batch size must be given. A loader makes one epoch: a
     * training loop builds one per epoch with {@code .epoch(e)}.
     */
    public static final class Builder {
        private final ImageDataset dataset;
        private final ImageTransform transform;
        private final ImageSize output;
        private Integer batchSize;
        private long seed;
        private int epoch;
        private int startBatch;
        private Integer startPosition;
        private int workers = Math.min(4, Runtime.getRuntime().availableProcessors());
        private Integer prefetch;
        private boolean dropLast = true;
        private int shardIndex;
        private int shardCount = 1;
        private BadImagePolicy badImages;
        private double maxBadImages = DEFAULT_MAX_BAD_IMAGES;

        private Builder(ImageDataset dataset, ImageTransform transform, ImageSize output) {
            this.dataset = given("dataset", dataset);
            this.transform = given("transform", transform);
            this.output = given("output image size", output);
        }

        /** Images per batch. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The run's seed, from which the order and the augmentation of every epoch derive; 0 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The epoch to produce, from 0 (the default). */
        public Builder epoch(int epoch) {
            this.epoch = epoch;
            return this;
        }

        /**
         * Starts at batch {@code batch} of the epoch, leaving out the items of the batches before
         * it, to resume a run; exact when no image before it was skipped, else see
         * {@link #resumeAt(int, int)}.
         */
        public Builder startBatch(int batch) {
            this.startBatch = batch;
            this.startPosition = null;
            return this;
        }

        /**
         * Starts at batch {@code batch}, whose first item is at {@code position} of the epoch's
         * order: pass the {@link Batch#endPosition()} of the last batch trained on, and its index
         * plus one, to resume exactly even after skipped images.
         */
        public Builder resumeAt(int batch, int position) {
            this.startBatch = batch;
            this.startPosition = position;
            return this;
        }

        /** Decoding threads; {@code min(4, cores)} by default. */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Ready batches kept ahead of the consumer; twice the workers by default. */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Whether to leave out an epoch's last, partial batch; true by default. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Takes only shard {@code index} of {@code count}: every {@code count}-th item of the
         * epoch's order from {@code index} on, for data-parallel training; shards of one epoch are
         * disjoint and equally long. One shard (the whole epoch) by default.
         */
        public Builder shard(int index, int count) {
            this.shardIndex = index;
            this.shardCount = count;
            return this;
        }

        /**
         * What to do with images that cannot be read; the dataset's
         * {@link ImageDataset#badImagePolicy()} by default.
         */
        public Builder badImages(BadImagePolicy policy) {
            this.badImages = given("bad image policy", policy);
            return this;
        }

        /**
         * Under {@link BadImagePolicy#SKIP_AND_COUNT}, the largest share of the epoch's images that may be
         * skipped as bad (all of them unless set; a training run's {@link dev.mim4j.training.TrainingData} sets
         * 1%); one more stops the epoch with an {@link UncheckedIOException} that gives the count and the last
         * bad image. With fewer than 100 images, 1% allows none.
         *
         * @throws IllegalArgumentException if {@code share} is not in [0, 1]
         */
        public Builder maxBadImages(double share) {
            check(share >= 0 && share <= 1, "the share of bad images %s must be in [0, 1]", share);
            this.maxBadImages = share;
            return this;
        }

        /**
         * The loader, with its threads started, or an {@link IllegalArgumentException} naming the
         * first option that does not fit the dataset.
         */
        public BatchLoader build() {
            check(batchSize != null, "batch size must be given");
            atLeastOne("batch size", batchSize);
            atLeastOne("workers", workers);
            if (prefetch != null) {
                atLeastOne("prefetch", prefetch);
            }
            check(epoch >= 0, "epoch %d cannot be negative", epoch);
            atLeastOne("shard count", shardCount);
            check(shardIndex >= 0 && shardIndex < shardCount,
                    "shard index %d must be in [0, %d) for %d shards", shardIndex, shardCount, shardCount);
            check(dataset.channels() == output.channels(), "dataset has %s but the model takes %d (%s)",
                    count(dataset.channels(), "channel"), output.channels(), dataset.describe());
            int size = dataset.size();
            check(size > 0, "the dataset is empty: %s", dataset.describe());
            int perShard = size / shardCount;
            check(perShard > 0, "%d shards are more than the %s of %s",
                    shardCount, count(size, "image"), dataset.describe());
            check(!dropLast || perShard >= batchSize,
                    "%s not enough for one batch of %d; lower the batch size, or set dropLast(false)",
                    shardCount == 1
                            ? "the dataset's " + count(size, "image") + " are"
                            : "shard " + shardIndex + " of " + shardCount + " gets " + count(perShard, "image")
                                    + " of the dataset's " + size + ", which is",
                    batchSize);
            check((long) batchSize * output.values() <= Integer.MAX_VALUE - 8,
                    "a batch of %d images of %s holds more than 2^31 - 9 floats", batchSize, output);
            int batches = batchesPerEpoch(size, batchSize, dropLast, shardCount);
            check(startBatch >= 0 && startBatch <= batches,
                    "start batch %d must be in [0, %d], the batches of an epoch", startBatch, batches);
            int position = startPosition != null ? startPosition : startBatch * batchSize;
            check(position >= startBatch * batchSize && position <= perShard,
                    "resume position %d must be in [%d, %d] for batch %d", position, startBatch * batchSize,
                    perShard, startBatch);
            int[] items = EpochOrder.items(size, seed, epoch, shardIndex, shardCount);
            BatchLoader loader = new BatchLoader(this, position, items, batches);
            loader.threads.forEach(Thread::start);
            return loader;
        }
    }
}
