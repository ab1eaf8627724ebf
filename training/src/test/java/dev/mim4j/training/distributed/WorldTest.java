package dev.mim4j.training.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.pytorch.global.torch.full;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two ranks in one JVM (a thread each, as two processes would), over Gloo on the loopback. */
@Timeout(60) // a rank blocked in native code cannot be interrupted: never hang the suite
class WorldTest {

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Rank {@code rank}'s values after averaging [rank + 1, 10 (rank + 1), a tensor larger than a bucket of
     * 100 (rank + 1)], broadcasting [rank] as floats and as longs from rank 0, and summing [rank + 1] as a long
     * and as a float.
     */
    private static float[] averagedBroadcastAndSummed(int rank, int port) {
        try (World world = World.join(new Rendezvous(rank, 2, rank, "127.0.0.1", port), Duration.ofSeconds(30));
                PointerScope scope = new PointerScope()) {
            Tensor small = full(new long[] {3}, new Scalar(rank + 1.0));
            Tensor large = full(new long[] {2, 2}, new Scalar(10.0 * (rank + 1)));
            Tensor beyondABucket = full(new long[] {World.BUCKET_BYTES / 4 + 1}, new Scalar(100.0 * (rank + 1)));
            world.averageInPlace(List.of(small, large, beyondABucket));
            Tensor start = full(new long[] {2}, new Scalar((double) rank));
            Tensor counts = full(new long[] {2, 1}, new Scalar((double) rank)).to(ScalarType.Long);
            world.broadcastFromFirst(List.of(start, counts));
            world.barrier();
            return new float[] {small.get(0).item_float(), large.get(1).get(1).item_float(),
                beyondABucket.get(World.BUCKET_BYTES / 4).item_float(), start.get(1).item_float(),
                counts.get(1).item_long(), world.sum(rank + 1L)[0], world.sum(rank + 1f)[0]};
        }
    }

    @Test
    void twoRanksAverageTheirTensorsStartFromRankZerosAndAgreeOnSums() throws Exception {
        int port = freePort();
        ExecutorService ranks = Executors.newFixedThreadPool(2);
        try {
            Future<float[]> first = ranks.submit(() -> averagedBroadcastAndSummed(0, port));
            Future<float[]> second = ranks.submit(() -> averagedBroadcastAndSummed(1, port));
            assertThat(first.get()).containsExactly(1.5f, 15f, 150f, 0f, 0f, 3f, 3f);
            assertThat(second.get()).containsExactly(1.5f, 15f, 150f, 0f, 0f, 3f, 3f);
        } finally {
            ranks.shutdownNow();
        }
    }

    @Test
    void gradientsGoInBucketsOfAtMost25MiBInTheirOrderALargerTensorAlone() {
        try (PointerScope scope = new PointerScope()) {
            Tensor quarter = full(new long[] {World.BUCKET_BYTES / 16}, new Scalar(0.0));
            Tensor whole = full(new long[] {World.BUCKET_BYTES / 4 + 1}, new Scalar(0.0));
            List<List<Tensor>> buckets = World.bucketsOf(List.of(quarter, quarter, quarter, quarter, quarter, whole,
                    quarter));
            assertThat(buckets).extracting(List::size).containsExactly(4, 1, 1, 1);
        }
    }

    @Test
    void aWorldOfOneReturnsItsOwnValuesAndChangesNothing() {
        try (World world = World.single(); PointerScope scope = new PointerScope()) {
            Tensor t = full(new long[] {2}, new Scalar(3.0));
            world.averageInPlace(List.of(t));
            world.broadcastFromFirst(List.of(t));
            world.barrier(Duration.ofSeconds(1), "nothing");
            assertThat(t.get(0).item_float()).isEqualTo(3f);
            assertThat(world.sum(4L, 5L)).containsExactly(4L, 5L);
            assertThat(world.sum(0.5f)).containsExactly(0.5f);
        }
    }

    @Test
    void aRankWhoseOtherNeverComesStopsWithinTheTimeoutSayingSo() throws Exception {
        int port = freePort();
        long started = System.nanoTime();
        assertThatThrownBy(() -> World.join(new Rendezvous(0, 2, 0, "127.0.0.1", port), Duration.ofSeconds(2)))
                .isInstanceOf(WorldException.class)
                .hasMessageStartingWith("rank 0 of 2 could not meet the others at 127.0.0.1:" + port + " within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    /**
     * Rank 0's time in an all-reduce that rank 1 does not join: rank 1 meets it, then {@code rankOne} (sleeps
     * past the timeout, or leaves).
     */
    private static long secondsRankZeroWaits(int port, String expected, Runnable rankOne) throws Exception {
        ExecutorService ranks = Executors.newFixedThreadPool(2);
        try {
            Future<Long> survivor = ranks.submit(() -> {
                try (World world = World.join(new Rendezvous(0, 2, 0, "127.0.0.1", port), Duration.ofSeconds(3));
                        PointerScope scope = new PointerScope()) {
                    world.barrier();
                    Thread.sleep(300);
                    long started = System.nanoTime();
                    assertThatThrownBy(() -> world.averageInPlace(List.of(full(new long[] {2}, new Scalar(1.0)))))
                            .isInstanceOf(WorldException.class).hasMessageStartingWith(expected);
                    long waited = System.nanoTime() - started;
                    assertThatThrownBy(world::barrier).isInstanceOf(WorldException.class)
                            .hasMessageStartingWith("rank 0 of 2: waiting for every rank refused: this world failed"
                                    + " earlier");
                    return waited;
                }
            });
            ranks.submit(() -> {
                try (World world = World.join(new Rendezvous(1, 2, 1, "127.0.0.1", port), Duration.ofSeconds(3))) {
                    world.barrier();
                    rankOne.run();
                }
                return null;
            }).get();
            return Duration.ofNanos(survivor.get()).toSeconds();
        } finally {
            ranks.shutdownNow();
        }
    }

    @Test
    void aRankThatHangsStopsTheOtherAfterTheTimeoutNamingIt() throws Exception {
        long waited = secondsRankZeroWaits(freePort(), "rank 0 of 2: averaging 1 tensors did not finish within 3 s;"
                + " another rank has died or hangs", () -> sleep(6000));
        assertThat(waited).isBetween(2L, 10L);
    }

    @Test
    void aRankThatLeftStopsTheOtherAtOnceNamingIt() throws Exception {
        long waited = secondsRankZeroWaits(freePort(), "rank 0 of 2: averaging 1 tensors ", () -> { });
        assertThat(waited).isLessThan(10L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void onlyFloatingPointTensorsOfOneTypeAreAveraged() {
        try (World world = World.single(); PointerScope scope = new PointerScope()) {
            Tensor floats = full(new long[] {2}, new Scalar(1.0));
            assertThatThrownBy(() -> world.averageInPlace(List.of(floats, floats.to(ScalarType.Long))))
                    .hasMessage("tensor 1 of 2 to average is of type Long: only floating-point tensors can be"
                            + " averaged");
            assertThatThrownBy(() -> world.averageInPlace(List.of(floats, floats.to(ScalarType.Double))))
                    .hasMessage("tensor 1 to average is Double on cpu, tensor 0 Float on cpu: one all-reduce takes"
                            + " one type on one device");
        }
    }

    @Test
    void aWorldOfOneChangesNothing() {
        try (World world = World.join(Rendezvous.single(), Duration.ofSeconds(5));
                PointerScope scope = new PointerScope()) {
            Tensor t = full(new long[] {2}, new Scalar(7.0));
            world.averageInPlace(List.of(t));
            world.broadcastFromFirst(List.of(t));
            world.barrier();
            assertThat(t.get(0).item_float()).isEqualTo(7f);
            assertThat(world.isFirst()).isTrue();
            assertThat(world.size()).isEqualTo(1);
        }
    }
}
