package dev.mim4j.training.distributed;

import java.util.Map;

import dev.mim4j.dsl.Mim4jException;

/**
 * Where a process stands among those of one data-parallel run, in torchrun's convention: {@code RANK},
 * {@code WORLD_SIZE}, {@code LOCAL_RANK}, {@code MASTER_ADDR} and {@code MASTER_PORT}, so that torchrun-style
 * launchers, SLURM and Kubernetes start it unchanged. A process with none of them set is a world of one.
 *
 * @param rank this process's place, from 0
 * @param worldSize how many processes train together
 * @param localRank this process's place among those on its machine (which GPU it takes)
 * @param masterAddress the host of rank 0, which serves the rendezvous
 * @param masterPort the port rank 0 serves it on
 */
public record Rendezvous(int rank, int worldSize, int localRank, String masterAddress, int masterPort) {

    /** torchrun's default port. */
    public static final int DEFAULT_PORT = 29500;

    public Rendezvous {
        if (worldSize < 1) {
            throw new Mim4jException("WORLD_SIZE", "WORLD_SIZE " + worldSize + " must be at least 1");
        }
        if (rank < 0 || rank >= worldSize) {
            throw new Mim4jException("RANK", "RANK " + rank + " must be from 0 to WORLD_SIZE - 1 (" + (worldSize - 1)
                    + ")");
        }
        if (localRank < 0 || localRank >= worldSize) {
            throw new Mim4jException("LOCAL_RANK", "LOCAL_RANK " + localRank + " must be from 0 to WORLD_SIZE - 1 ("
                    + (worldSize - 1) + ")");
        }
        if (masterAddress == null || masterAddress.isBlank()) {
            throw new Mim4jException("MASTER_ADDR", "MASTER_ADDR must name rank 0's host");
        }
        if (masterPort < 1 || masterPort > 65535) {
            throw new Mim4jException("MASTER_PORT", "MASTER_PORT " + masterPort + " must be from 1 to 65535");
        }
    }

    /** The world of one process. */
    public static Rendezvous single() {
        return new Rendezvous(0, 1, 0, "127.0.0.1", DEFAULT_PORT);
    }

    /** This process's rendezvous, from its environment. */
    public static Rendezvous fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The rendezvous that {@code environment} describes: a world of one when neither {@code RANK} nor
     * {@code WORLD_SIZE} is set; otherwise both are needed, {@code MASTER_ADDR} too when the world has more than
     * one process, {@code LOCAL_RANK} defaults to 0 (torchrun always sets it) and {@code MASTER_PORT} to 29500.
     *
     * @throws IllegalArgumentException naming the variable, its value and what it may be
     */
    public static Rendezvous fromEnvironment(Map<String, String> environment) {
        String rank = environment.get("RANK");
        String worldSize = environment.get("WORLD_SIZE");
        if (rank == null && worldSize == null) {
            return single();
        }
        if (rank == null || worldSize == null) {
            String missing = rank == null ? "RANK" : "WORLD_SIZE";
            throw new Mim4jException(missing, missing + " is not set, but " + (rank == null ? "WORLD_SIZE" : "RANK")
                    + " is: a data-parallel process needs both (torchrun sets them)");
        }
        int size = number("WORLD_SIZE", worldSize);
        int place = number("RANK", rank);
        String address = environment.get("MASTER_ADDR");
        if (address == null && size > 1) {
            throw new Mim4jException("MASTER_ADDR", "MASTER_ADDR is not set: the " + size + " processes need rank 0's"
                    + " host to meet at");
        }
        String localRank = environment.get("LOCAL_RANK");
        String port = environment.get("MASTER_PORT");
        return new Rendezvous(place, size, localRank == null ? 0 : number("LOCAL_RANK", localRank),
                address == null ? "127.0.0.1" : address,
                port == null ? DEFAULT_PORT : number("MASTER_PORT", port));
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new Mim4jException(name, name + " '" + value + "' is not a whole number");
        }
    }

    /** Whether this process trains alone. */
    public boolean isSingle() {
        return worldSize == 1;
    }
}
