package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.mim4j.models.image.Compose;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Interpolation;
import dev.mim4j.models.image.Resize;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {

    private static final ImageSize TINY = new ImageSize(1, 2, 2);
    private static final ImageTransform AS_IS = (image, random) -> image;

    /** What a consumer copies out of a batch before recycling it. */
    record Copy(int index, int[] labels, float[] pixels, int endPosition) {

        static Copy of(Batch batch) {
            return new Copy(batch.index(), batch.batchLabels(),
                    Arrays.copyOf(batch.pixels(), batch.size() * batch.imageSize().values()), batch.endPosition());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Copy that && index == that.index && endPosition == that.endPosition
                    && Arrays.equals(labels, that.labels) && Arrays.equals(pixels, that.pixels);
        }

        @Override
        public int hashCode() {
            return index;
        }

        List<Integer> labelList() {
            return Arrays.stream(labels).boxed().toList();
        }
    }

    @Test
    void theSameSeedAndEpochGiveIdenticalBatchesWhateverTheNumberOfWorkers() {
        ImageDataset photos = SyntheticDataset.of(60, new ImageSize(3, 20, 24), 1);
        ImageTransform augment = Compose.of(RandomResizedCrop.mae(16, 16), new HorizontalFlip(0.5));
        ImageSize output = new ImageSize(3, 16, 16);

        List<Copy> oneWorker = drain(BatchLoader.builder(photos, augment, output).batchSize(8).seed(5).epoch(2)
                .workers(1));
        List<Copy> fourWorkers = drain(BatchLoader.builder(photos, augment, output).batchSize(8).seed(5).epoch(2)
                .workers(4).prefetch(1));

        assertThat(oneWorker).hasSize(7).isEqualTo(fourWorkers);
        assertThat(oneWorker).extracting(Copy::index).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void everyEpochVisitsEveryItemOnceInItsOwnOrder() {
        List<Integer> epoch0 = labels(drain(loader(IndexedDataset.of(40), 8).epoch(0)));
        List<Integer> epoch1 = labels(drain(loader(IndexedDataset.of(40), 8).epoch(1)));

        assertThat(epoch0).containsExactlyInAnyOrderElementsOf(range(40));
        assertThat(epoch1).containsExactlyInAnyOrderElementsOf(range(40));
        assertThat(epoch1).isNotEqualTo(epoch0);
    }

    @Test
    void imagesArriveChannelMajorWithTheirLabels() {
        List<Copy> batches = drain(loader(IndexedDataset.of(6), 3).seed(9));

        for (Copy batch : batches) {
            for (int i = 0; i < 3; i++) {
                // IndexedDataset fills image i with the value i
                float[] image = Arrays.copyOfRange(batch.pixels(), i * 4, (i + 1) * 4);
                assertThat(image).containsOnly(batch.labels()[i]);
            }
        }
    }

    @Test
    void startingAtBatchKGivesTheSameBatchesAsTheFullEpochFromK() {
        ImageDataset photos = SyntheticDataset.of(50, new ImageSize(3, 12, 12), 2);
        ImageTransform augment = Compose.of(RandomResizedCrop.mae(8, 8), new HorizontalFlip(0.5));
        ImageSize output = new ImageSize(3, 8, 8);

        List<Copy> full = drain(BatchLoader.builder(photos, augment, output).batchSize(6).seed(3).epoch(4));
        List<Copy> resumed = drain(BatchLoader.builder(photos, augment, output).batchSize(6).seed(3).epoch(4)
                .startBatch(3));

        assertThat(full).hasSize(8);
        assertThat(resumed).isEqualTo(full.subList(3, 8));
    }

    @Test
    void resumingAtABatchesEndPositionIsExactEvenAfterSkippedImages() {
        ImageDataset dataset =
                IndexedDataset.withBadItems(40, Set.of(0, 5, 11, 17, 23, 31), BadImagePolicy.SKIP_AND_COUNT);

        List<Copy> full = drain(loader(dataset, 4).seed(1).maxBadImages(0.2));
        Copy third = full.get(2);
        List<Copy> resumed = drain(loader(dataset, 4).seed(1).maxBadImages(0.2)
                .resumeAt(third.index() + 1, third.endPosition()));

        assertThat(resumed).isEqualTo(full.subList(3, full.size()));
    }

    @Test
    void shardsPartitionTheEpoch() {
        List<Integer> all = new ArrayList<>();
        for (int shard = 0; shard < 3; shard++) {
            List<Copy> batches = drain(loader(IndexedDataset.of(48), 4).seed(2).epoch(1).shard(shard, 3));
            assertThat(batches).hasSize(4);
            all.addAll(labels(batches));
        }

        assertThat(all).containsExactlyInAnyOrderElementsOf(range(48));
        assertThat(BatchLoader.batchesPerEpoch(48, 4, true, 3)).isEqualTo(4);
        assertThat(BatchLoader.batchesPerEpoch(50, 4, true, 3)).as("16 items per shard").isEqualTo(4);
        assertThat(BatchLoader.batchesPerEpoch(50, 4, false, 3)).isEqualTo(4);
        assertThat(BatchLoader.batchesPerEpoch(51, 4, false, 3)).as("17 items per shard").isEqualTo(5);
    }

    @Test
    void withoutDropLastTheLastBatchIsPartial() {
        try (BatchLoader loader = loader(IndexedDataset.of(10), 4).dropLast(false).build()) {
            List<Integer> sizes = new ArrayList<>();
            while (loader.hasNext()) {
                Batch batch = loader.next();
                sizes.add(batch.size());
                loader.recycle(batch);
            }

            assertThat(loader.batchesPerEpoch()).isEqualTo(3);
            assertThat(sizes).containsExactly(4, 4, 2);
            assertThatThrownBy(loader::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void buffersComeFromABoundedPoolAndReturnOnlyOnce() {
        Set<float[]> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
        try (BatchLoader loader = loader(IndexedDataset.of(200), 2).workers(2).prefetch(2).build()) {
            Batch last = null;
            while (loader.hasNext()) {
                last = loader.next();
                buffers.add(last.pixels());
                loader.recycle(last);
            }
            Batch recycled = last;

            assertThat(buffers).hasSizeBetween(1, 4);
            assertThatThrownBy(() -> loader.recycle(recycled))
                    .hasMessage("batch 99 of epoch 0 was already recycled, or does not come from this loader");
        }
    }

    @Test
    void aConsumerThatNeverRecyclesIsToldInsteadOfHanging() {
        try (BatchLoader loader = loader(IndexedDataset.of(100), 2).prefetch(1).build()) {
            for (int i = 0; i < 3; i++) {
                loader.next();
            }

            assertThatThrownBy(loader::hasNext)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the consumer holds all 3 batch buffers; recycle a batch once it is copied, before"
                            + " asking for the next");
        }
    }

    @Test
    void closeStopsEveryWorkerEvenWithBatchesStillQueued() throws InterruptedException {
        Set<Thread> before = loaderThreads();
        BatchLoader loader = BatchLoader.builder(SyntheticDataset.of(2000, new ImageSize(3, 32, 32), 1),
                        RandomResizedCrop.mae(16, 16), new ImageSize(3, 16, 16))
                .batchSize(4)
                .workers(3)
                .prefetch(2)
                .build();
        loader.recycle(loader.next());
        Set<Thread> started = loaderThreads();
        started.removeAll(before);
        assertThat(started).hasSize(4);

        loader.close();

        assertThat(started).noneMatch(Thread::isAlive);
        assertThat(loader.hasNext()).isFalse();
        assertThatThrownBy(loader::next).hasMessageStartingWith("the loader of synthetic 2000 images");
    }

    @Test
    void closingFromAnotherThreadWakesAConsumerThatWaits() throws InterruptedException {
        ImageDataset stuck = new IndexedDataset(10, TINY, Set.of(), BadImagePolicy.FAIL) {
            @Override
            public FloatImage read(int index) throws IOException {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new InterruptedIOException("stopped while reading item " + index);
            }
        };
        BatchLoader loader = loader(stuck, 2).build();
        AtomicReference<Boolean> hasNext = new AtomicReference<>();
        Thread consumer = new Thread(() -> hasNext.set(loader.hasNext()));
        consumer.start();
        consumer.join(100);
        assertThat(consumer.isAlive()).as("waiting for a batch").isTrue();

        loader.close();
        consumer.join(5000);

        assertThat(hasNext.get()).isFalse();
    }

    @Test
    void threadsEndOnTheirOwnWhenTheEpochIsDrained() throws InterruptedException {
        Set<Thread> before = loaderThreads();
        BatchLoader loader = loader(IndexedDataset.of(20), 5).workers(2).build();
        Set<Thread> started = loaderThreads();
        started.removeAll(before);
        while (loader.hasNext()) {
            loader.recycle(loader.next());
        }

        for (Thread thread : started) {
            thread.join(5000);
        }

        assertThat(started).isNotEmpty().noneMatch(Thread::isAlive);
    }

    @Test
    void skippedImagesAreCountedAndTheirPlacesFilledByTheNextItems() {
        ImageDataset dataset = IndexedDataset.withBadItems(22, Set.of(3, 7), BadImagePolicy.SKIP_AND_COUNT);

        try (BatchLoader loader = loader(dataset, 4).maxBadImages(0.1).build()) {
            List<Copy> batches = new ArrayList<>();
            while (loader.hasNext()) {
                Batch batch = loader.next();
                batches.add(Copy.of(batch));
                loader.recycle(batch);
            }

            assertThat(loader.batchesPerEpoch()).isEqualTo(5);
            assertThat(batches).hasSize(5).allMatch(batch -> batch.labels().length == 4);
            assertThat(loader.skippedImages()).isEqualTo(2);
            assertThat(labels(batches)).doesNotContain(3, 7).doesNotHaveDuplicates();
        }
    }

    @Test
    void skippingCanShortenTheEpochByTheBatchItCanNoLongerFill() {
        ImageDataset dataset = IndexedDataset.withBadItems(20, Set.of(3, 7), BadImagePolicy.SKIP_AND_COUNT);

        List<Copy> batches = drain(loader(dataset, 4).maxBadImages(0.1));

        assertThat(batches).hasSize(4);
        assertThat(labels(batches)).hasSize(16);
    }

    @Test
    void moreBadImagesThanTheAllowedShareStopTheEpochWithTheCount() {
        ImageDataset dataset = IndexedDataset.withBadItems(200, Set.of(3, 50, 120), BadImagePolicy.SKIP_AND_COUNT);

        try (BatchLoader loader = loader(dataset, 4).maxBadImages(0.01).build()) {
            assertThatThrownBy(() -> {
                while (loader.hasNext()) {
                    loader.recycle(loader.next());
                }
            }).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("3 of the epoch's 200 images could not be read, more than the 1% allowed ("
                            + dataset.describe() + "); the last: cannot read image item-")
                    .hasMessageEndingWith(": broken on purpose; repair the data, or allow a larger share of bad"
                            + " images (--max-bad-images)");
            assertThat(loader.skippedImages()).isEqualTo(3);
        }
        assertThat(drain(loader(dataset, 4).maxBadImages(0.02))).hasSize(49);
        assertThat(drain(loader(dataset, 4))).as("no limit unless set").hasSize(49);
        // 0.29 x 100 is 28.999... in doubles; the count allowed is exact
        ImageDataset bad29 = IndexedDataset.withBadItems(100, IntStream.range(0, 29).boxed().collect(Collectors.toSet()),
                BadImagePolicy.SKIP_AND_COUNT);
        assertThat(drain(loader(bad29, 1).maxBadImages(0.29))).hasSize(71);
    }

    @Test
    void aDataSourceThatIsGoneStopsTheEpochAtOnceEvenWhenSkipping() {
        ImageDataset gone = new IndexedDataset(100, TINY, Set.of(), BadImagePolicy.SKIP_AND_COUNT) {
            @Override
            public FloatImage read(int index) throws IOException {
                throw new DataSourceGoneException("the image folder /data is gone");
            }
        };

        try (BatchLoader loader = loader(gone, 4).maxBadImages(1).build()) {
            assertThatThrownBy(loader::hasNext).isInstanceOf(UncheckedIOException.class)
                    .hasMessage("the image folder /data is gone");
            assertThat(loader.skippedImages()).isZero();
        }
    }

    @Test
    void aLoaderThreadThatDiesIsReportedInsteadOfHanging() {
        // a batch buffer larger than the whole heap: the assembler dies allocating it
        ImageSize large = new ImageSize(1, 100, 100);
        long batch = Runtime.getRuntime().maxMemory() / (Float.BYTES * large.values()) + 1;
        Assumptions.assumeTrue(batch * large.values() < Integer.MAX_VALUE - 8, "a heap this large has room for any batch");
        ImageDataset dataset = new IndexedDataset((int) batch, large, Set.of(), BadImagePolicy.FAIL);

        try (BatchLoader loader = BatchLoader.builder(dataset, AS_IS, large).batchSize((int) batch).build()) {
            assertThatThrownBy(loader::hasNext).isInstanceOf(OutOfMemoryError.class)
                    .hasMessageContaining(" in the data loader's thread " + BatchLoader.THREAD_NAME_PREFIX)
                    .hasMessageEndingWith("-assembler, making batches of " + batch + " images of 100x100x1");
        }
    }

    @Test
    void underFailABadImageStopsTheEpochWithItsName() {
        ImageDataset dataset = IndexedDataset.withBadItems(40, Set.of(13), BadImagePolicy.FAIL);

        try (BatchLoader loader = loader(dataset, 4).build()) {
            List<Integer> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (loader.hasNext()) {
                    Batch batch = loader.next();
                    seen.addAll(Copy.of(batch).labelList());
                    loader.recycle(batch);
                }
            }).isInstanceOf(UncheckedIOException.class)
                    .hasMessage("cannot read image item-13.png: broken on purpose");
            assertThat(seen).doesNotContain(13).hasSizeLessThan(40);
            assertThatThrownBy(loader::hasNext).as("the failure stays").isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void aCorruptFileInAFolderIsSkippedOrFailsWithItsPath(@TempDir Path root) throws IOException {
        for (int i = 0; i < 7; i++) {
            Files.write(root.resolve("good-" + i + ".png"),
                    TestImages.encode(TestImages.solid(10, 12, 0x102030 * i), "png"));
        }
        Path corrupt = Files.write(root.resolve("corrupt.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0});
        ImageFolderDataset folder = ImageFolderDataset.open(root, 3, BadImagePolicy.SKIP_AND_COUNT);
        ImageTransform resize = new Resize(8, 8, Interpolation.BILINEAR);
        ImageSize output = new ImageSize(3, 8, 8);

        // Without dropLast every item is reached, wherever the permutation puts the corrupt one.
        try (BatchLoader skipping = BatchLoader.builder(folder, resize, output).batchSize(4).dropLast(false)
                .maxBadImages(0.2).build()) {
            List<Integer> sizes = new ArrayList<>();
            while (skipping.hasNext()) {
                Batch batch = skipping.next();
                sizes.add(batch.size());
                skipping.recycle(batch);
            }
            assertThat(sizes).containsExactly(4, 3);
            assertThat(skipping.skippedImages()).isEqualTo(1);
        }
        try (BatchLoader failing = BatchLoader.builder(folder, resize, output).batchSize(4).dropLast(false)
                .badImages(BadImagePolicy.FAIL).build()) {
            assertThatThrownBy(() -> {
                while (failing.hasNext()) {
                    failing.recycle(failing.next());
                }
            }).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot read image " + corrupt + ": ");
        }
    }

    @Test
    void aTransformThatMissesTheOutputSizeIsNamed() {
        try (BatchLoader loader = BatchLoader.builder(IndexedDataset.of(8), AS_IS, new ImageSize(1, 4, 4))
                .batchSize(2).seed(1).build()) {
            assertThatThrownBy(loader::next)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageMatching("the transform made a 2x2x1 image of item \\d, but the loader's output is 4x4x1");
        }
    }

    @Test
    void mistakesInTheSetupFailAtBuild() {
        assertThatThrownBy(() -> BatchLoader.builder(IndexedDataset.of(8), AS_IS, new ImageSize(3, 2, 2))
                        .batchSize(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset has 1 channel but the model takes 3 (indexed 8 images 2x2x1)");
        assertThatThrownBy(() -> loader(IndexedDataset.of(0), 2).build())
                .hasMessage("the dataset is empty: indexed 0 images 2x2x1");
        assertThatThrownBy(() -> loader(IndexedDataset.of(5), 8).build())
                .hasMessage("the dataset's 5 images are not enough for one batch of 8; lower the batch size, or set"
                        + " dropLast(false)");
        assertThatThrownBy(() -> loader(IndexedDataset.of(10), 4).shard(1, 3).build())
                .hasMessage("shard 1 of 3 gets 3 images of the dataset's 10, which is not enough for one batch of 4;"
                        + " lower the batch size, or set dropLast(false)");
        assertThatThrownBy(() -> BatchLoader.builder(IndexedDataset.of(8), AS_IS, TINY).build())
                .hasMessage("batch size must be given");
        assertThatThrownBy(() -> loader(IndexedDataset.of(8), 2).startBatch(5).build())
                .hasMessage("start batch 5 must be in [0, 4], the batches of an epoch");
    }

    private static BatchLoader.Builder loader(ImageDataset dataset, int batchSize) {
        return BatchLoader.builder(dataset, AS_IS, TINY).batchSize(batchSize);
    }

    private static List<Copy> drain(BatchLoader.Builder builder) {
        List<Copy> copies = new ArrayList<>();
        try (BatchLoader loader = builder.build()) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                copies.add(Copy.of(batch));
                loader.recycle(batch);
            }
        }
        return copies;
    }

    private static List<Integer> labels(List<Copy> batches) {
        return batches.stream().flatMap(batch -> batch.labelList().stream()).toList();
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static Set<Thread> loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(BatchLoader.THREAD_NAME_PREFIX))
                .collect(Collectors.toCollection(HashSet::new));
    }
}
