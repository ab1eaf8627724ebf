package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.given;

import dev.mim4j.dsl.Mim4jException;

/**
 * Measures how many images per second a loader configuration delivers to a consumer that only
 * recycles, to choose workers and prefetch on a machine; the command-line tool prints it.
 */
public final class LoaderThroughput {

    private LoaderThroughput() {}

    /**
     * Images per second over up to {@code batches} batches of the loader that {@code builder}
     * builds, after a first batch that warms the workers up and is not counted; the loader is
     * closed afterwards.
     */
    public static double measure(BatchLoader.Builder builder, int batches) {
        given("loader builder", builder);
        atLeastOne("batches to measure", batches);
        try (BatchLoader loader = builder.build()) {
            if (!loader.hasNext()) {
                throw new Mim4jException("loader", "the loader has no batch to measure");
            }
            loader.recycle(loader.next());
            long images = 0;
            long start = System.nanoTime();
            for (int i = 0; i < batches && loader.hasNext(); i++) {
                Batch batch = loader.next();
                images += batch.size();
                loader.recycle(batch);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (images == 0) {
                throw new Mim4jException("loader", "the loader's epoch ended after its first batch; nothing was timed");
            }
            return images / seconds;
        }
    }
}
