package dev.mim4j.training.data;

import java.util.SplittableRandom;

/**
 * What an epoch is: the order in which it visits the dataset, the items of one shard, and the
 * random source that augments each item, all functions of (seed, epoch, item) alone.
 */
final class EpochOrder {

    private static final long ORDER_STREAM = 1;
    private static final long AUGMENTATION_STREAM = 2;

    private EpochOrder() {}

    /** A permutation of {@code 0 .. size - 1} drawn from {@code seed} (Fisher-Yates). */
    static int[] permutation(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /**
     * The dataset indices that shard {@code shardIndex} of {@code shardCount} visits in
     * {@code epoch}: every {@code shardCount}-th item of the epoch's permutation from
     * {@code shardIndex} on, {@code datasetSize / shardCount} of them, so that all shards are
     * equally long (the permutation's last {@code datasetSize % shardCount} items, a different few
     * each epoch, are left out).
     */
    static int[] items(int datasetSize, long seed, int epoch, int shardIndex, int shardCount) {
        int[] order = permutation(datasetSize, Seeds.mix(seed, ORDER_STREAM, epoch));
        int[] items = new int[datasetSize / shardCount];
        for (int j = 0; j < items.length; j++) {
            items[j] = order[shardIndex + j * shardCount];
        }
        return items;
    }

    /** The random source that augments dataset item {@code index} in {@code epoch}. */
    static SplittableRandom augmentation(long seed, int epoch, int index) {
        return new SplittableRandom(Seeds.mix(seed, AUGMENTATION_STREAM, epoch, index));
    }
}
