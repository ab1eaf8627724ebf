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
import org.junit.jupiter.api.Test;

/** Two ranks in one JVM (a thread each, as two processes would), over Gloo on the loopback. */
class WorldTest {

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Rank {@code rank}'s values after averaging [rank + 1, 10 (rank + 1)] and broadcasting [rank] from rank 0. */
    private static float[] averagedAndBroadcast(int rank, int port) {
        try (World world = World.join(new Rendezvous(rank, 2, rank, "127.0.0.1", port), Duration.ofSeconds(30));
                PointerScope scope = new PointerScope()) {
            Tensor small = full(new long[] {3}, new Scalar(rank + 1.0));
            Tensor large = full(new long[] {2, 2}, new Scalar(10.0 * (rank + 1)));
            world.averageInPlace(List.of(small, large));
            Tensor start = full(new long[] {2}, new Scalar((double) rank));
            world.broadcastFromFirst(List.of(start));
            world.barrier();
            return new float[] {small.get(0).item_float(), large.get(1).get(1).item_float(), start.get(1).item_float()};
        }
    }

    @Test
    void twoRanksAverageTheirTensorsAndStartFromRankZeros() throws Exception {
        int port = freePort();
        ExecutorService ranks = Executors.newFixedThreadPool(2);
        try {
            Future<float[]> first = ranks.submit(() -> averagedAndBroadcast(0, port));
            Future<float[]> second = ranks.submit(() -> averagedAndBroadcast(1, port));
            assertThat(first.get()).containsExactly(1.5f, 15f, 0f);
            assertThat(second.get()).containsExactly(1.5f, 15f, 0f);
        } finally {
            ranks.shutdownNow();
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

    @Test
    void whenTheOtherRankIsGoneACollectiveFailsWithinTheTimeoutNamingIt() throws Exception {
        int port = freePort();
        ExecutorService ranks = Executors.newFixedThreadPool(2);
        try {
            Future<Long> survivor = ranks.submit(() -> {
                try (World world = World.join(new Rendezvous(0, 2, 0, "127.0.0.1", port), Duration.ofSeconds(3));
                        PointerScope scope = new PointerScope()) {
                    world.barrier();
                    Thread.sleep(500); // the other rank leaves meanwhile
                    long started = System.nanoTime();
                    assertThatThrownBy(() -> world.averageInPlace(List.of(full(new long[] {2}, new Scalar(1.0)))))
                            .isInstanceOf(WorldException.class)
                            .hasMessageStartingWith("rank 0 of 2: averaging 1 tensors did not finish within 3 s;"
                                    + " another rank has died or hangs");
                    return System.nanoTime() - started;
                }
            });
            ranks.submit(() -> {
                try (World world = World.join(new Rendezvous(1, 2, 1, "127.0.0.1", port), Duration.ofSeconds(3))) {
                    world.barrier();
                }
                return null;
            }).get();
            assertThat(Duration.ofNanos(survivor.get())).isLessThan(Duration.ofSeconds(15));
        } finally {
            ranks.shutdownNow();
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
