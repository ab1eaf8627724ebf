package dev.mim4j.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochOrderTest {

    @Test
    void anEpochIsAPermutationThatDependsOnSeedAndEpoch() {
        int[] epoch0 = EpochOrder.items(1000, 7, 0, 0, 1);

        assertThat(Arrays.stream(epoch0).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(EpochOrder.items(1000, 7, 0, 0, 1)).isEqualTo(epoch0);
        assertThat(EpochOrder.items(1000, 7, 1, 0, 1)).isNotEqualTo(epoch0);
        assertThat(EpochOrder.items(1000, 8, 0, 0, 1)).isNotEqualTo(epoch0);
    }

    @Test
    void shardsTakeEveryCountThItemAndAreEquallyLong() {
        int[] whole = EpochOrder.items(10, 3, 2, 0, 1);

        assertThat(EpochOrder.items(10, 3, 2, 0, 3)).containsExactly(whole[0], whole[3], whole[6]);
        assertThat(EpochOrder.items(10, 3, 2, 2, 3)).containsExactly(whole[2], whole[5], whole[8]);
    }

    @Test
    void augmentationDependsOnSeedEpochAndItem() {
        long first = EpochOrder.augmentation(1, 0, 5).nextLong();

        assertThat(EpochOrder.augmentation(1, 0, 5).nextLong()).isEqualTo(first);
        assertThat(EpochOrder.augmentation(1, 1, 5).nextLong()).isNotEqualTo(first);
        assertThat(EpochOrder.augmentation(1, 0, 6).nextLong()).isNotEqualTo(first);
    }
}
