package dev.mim4j.training;

/**
 * Where a running {@link TrainingLoop} stands, with all the arithmetic of its position in one place: epochs of
 * micro-batches, accumulation windows of them, and this process's shard of each epoch. Every process of a
 * data-parallel run walks through the same micro-batches (each on its own shard's images), so the step, the
 * window and the epoch are the same on every rank; only the image position in the shard and the random streams
 * are the rank's own.
 */
final class RunPosition {

    private final int batchesPerEpoch;
    private final int accumulation;
    private final long lastMicroBatch;
    private final int shard;
    private final int shards;
    private long step;
    private long microBatch;
    private int imagePosition;
    private long skippedSteps;
    private double epochLossSum;
    private long epochSteps;

    /**
     * @param batchesPerEpoch micro-batches in an epoch of one shard
     * @param shard this process's rank, the shard it reads
     * @param shards the world's size
     */
    RunPosition(TrainingPosition start, int batchesPerEpoch, int accumulation, long lastMicroBatch, int shard,
            int shards) {
        this.batchesPerEpoch = batchesPerEpoch;
        this.accumulation = accumulation;
        this.lastMicroBatch = lastMicroBatch;
        this.shard = shard;
        this.shards = shards;
        this.step = start.step();
        this.microBatch = start.nextMicroBatch(batchesPerEpoch);
        this.imagePosition = microBatch % batchesPerEpoch == 0 ? 0 : start.imagePosition();
        this.skippedSteps = start.skippedSteps();
        this.epochLossSum = start.epochLossSum();
        this.epochSteps = start.epochSteps();
    }

    long step() {
        return step;
    }

    long microBatch() {
        return microBatch;
    }

    long skippedSteps() {
        return skippedSteps;
    }

    int epoch() {
        return (int) (microBatch / batchesPerEpoch);
    }

    /** The next micro-batch's place in its epoch. */
    int batchInEpoch() {
        return (int) (microBatch % batchesPerEpoch);
    }

    /** The place in this shard's order of the epoch of the next image to read (0 at an epoch's start). */
    int imagePosition() {
        return imagePosition;
    }

    /** The epoch and the part of it done, as the learning-rate schedule reads them. */
    double fractionalEpoch() {
        return epoch() + (double) batchInEpoch() / batchesPerEpoch;
    }

    boolean finished() {
        return microBatch >= lastMicroBatch;
    }

    /**
     * The step at which the run ends: the steps reached and the windows left, so that a run resumed at another
     * batch or number of processes counts on from where it is.
     */
    long lastStep() {
        return step + (lastMicroBatch - microBatch + accumulation - 1) / accumulation;
    }

    /** Whether the next micro-batch opens an accumulation window (and the previous one closed one). */
    boolean atWindowStart() {
        return microBatch % accumulation == 0;
    }

    /** Whether the next micro-batch is the last of its accumulation window. */
    boolean closesWindow() {
        return (microBatch + 1) % accumulation == 0;
    }

    /** Whether the micro-batches done close an epoch (or the run). */
    boolean atEpochEnd() {
        return microBatch % batchesPerEpoch == 0 || finished();
    }

    /**
     * The position of the next micro-batch among all the world's micro-batches, from which its random streams are
     * derived ({@link StepSeeds}): (micro-batch, rank) in one number, the micro-batch itself in a world of one.
     */
    long randomPosition() {
        return microBatch * shards + shard;
    }

    /** A micro-batch read up to {@code nextImage} of the shard's order, and trained. */
    void trained(int nextImage) {
        microBatch++;
        // an epoch that ended leaves the next one to start from its first image
        imagePosition = microBatch % batchesPerEpoch == 0 ? 0 : nextImage;
    }

    /** A window closed with an optimiser step whose mean loss was {@code loss}. */
    void stepped(double loss) {
        step++;
        epochLossSum += loss;
        epochSteps++;
    }

    /** A window closed without an update (its loss was not finite): the step still counts. */
    void skipped() {
        step++;
        skippedSteps++;
    }

    /**
     * Ends the epoch now, before its last micro-batches: skipped images left too few for them. A partial
     * accumulation window goes with it.
     */
    void endEpochEarly() {
        microBatch = Math.min(lastMicroBatch, (long) (epoch() + 1) * batchesPerEpoch);
        if (microBatch % batchesPerEpoch == 0) {
            imagePosition = 0;
        }
    }

    /** The mean step loss of the epoch so far, NaN before its first step. */
    double epochLoss() {
        return epochSteps == 0 ? Double.NaN : epochLossSum / epochSteps;
    }

    /** Starts the next epoch's loss. */
    void resetEpochLoss() {
        epochLossSum = 0;
        epochSteps = 0;
    }

    /**
     * What a checkpoint written now records: inside an epoch, the epoch's losses so far (none once the epoch has
     * ended and reported them) and the image reached (0 at an epoch's start; a run cut short by accumulation ends
     * inside its last epoch, where a longer run goes on from it).
     */
    TrainingPosition saved(long optimizerSteps) {
        return new TrainingPosition(step, microBatch, imagePosition, skippedSteps, optimizerSteps, epochLossSum,
                epochSteps);
    }
}
