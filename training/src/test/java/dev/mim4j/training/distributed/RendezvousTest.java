package dev.mim4j.training.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RendezvousTest {

    @Test
    void withoutTorchrunsVariablesAProcessIsAWorldOfOne() {
        assertThat(Rendezvous.fromEnvironment(Map.of("HOME", "/root"))).isEqualTo(Rendezvous.single());
        assertThat(Rendezvous.single().isSingle()).isTrue();
    }

    @Test
    void torchrunsVariablesPlaceTheProcess() {
        Rendezvous second = Rendezvous.fromEnvironment(Map.of("RANK", "3", "WORLD_SIZE", "4", "LOCAL_RANK", "1",
                "MASTER_ADDR", "node-a", "MASTER_PORT", "29511"));
        assertThat(second).isEqualTo(new Rendezvous(3, 4, 1, "node-a", 29511));
        assertThat(Rendezvous.fromEnvironment(Map.of("RANK", "1", "WORLD_SIZE", "2", "MASTER_ADDR", "node-a")))
                .as("LOCAL_RANK defaults to 0, MASTER_PORT to torchrun's")
                .isEqualTo(new Rendezvous(1, 2, 0, "node-a", 29500));
    }

    @Test
    void mistakesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "0")))
                .hasMessage("WORLD_SIZE is not set, but RANK is: a data-parallel process needs both (torchrun sets"
                        + " them)");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "2", "WORLD_SIZE", "2",
                "MASTER_ADDR", "a"))).hasMessage("RANK 2 must be from 0 to WORLD_SIZE - 1 (1)");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "two")))
                .hasMessage("WORLD_SIZE 'two' is not a whole number");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "2")))
                .hasMessage("MASTER_ADDR is not set: the 2 processes need rank 0's host to meet at");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "2",
                "MASTER_ADDR", "a", "MASTER_PORT", "70000")))
                .hasMessage("MASTER_PORT 70000 must be from 1 to 65535");
        assertThatThrownBy(() -> Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "2",
                "MASTER_ADDR", "a", "LOCAL_RANK", "2"))).hasMessage("LOCAL_RANK 2 must be from 0 to WORLD_SIZE - 1 (1)");
    }
}
