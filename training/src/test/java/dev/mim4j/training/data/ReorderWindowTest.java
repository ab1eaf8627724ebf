package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReorderWindowTest {

    @Test
    void resultsComeBackInPositionOrderWhateverOrderTheyArePutIn() throws InterruptedException {
        ReorderWindow<String> window = new ReorderWindow<>(5, 8, 4);
        int a = window.claim();
        int b = window.claim();
        int c = window.claim();

        window.put(c, "seven");
        window.put(a, "five");
        window.put(b, "six");

        assertThat(new int[] {a, b, c}).containsExactly(5, 6, 7);
        assertThat(window.claim()).as("all positions handed out").isEqualTo(-1);
        assertThat(window.take()).isEqualTo("five");
        assertThat(window.take()).isEqualTo("six");
        assertThat(window.take()).isEqualTo("seven");
        assertThat(window.take()).as("all positions taken").isNull();
    }

    @Test
    void aClaimWaitsWhileTheWindowIsFullAndCloseReleasesEveryone() throws InterruptedException {
        ReorderWindow<String> window = new ReorderWindow<>(0, 100, 2);
        window.claim();
        window.claim();
        int[] third = new int[1];
        Thread worker = new Thread(() -> {
            try {
                third[0] = window.claim();
            } catch (InterruptedException e) {
                third[0] = -2;
            }
        });
        worker.start();
        worker.join(200);
        assertThat(worker.isAlive()).as("waiting for room in the window").isTrue();

        window.close();
        worker.join(5000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(third[0]).isEqualTo(-1);
        assertThat(window.take()).isNull();
    }
}
