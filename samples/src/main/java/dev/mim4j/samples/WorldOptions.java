package dev.mim4j.samples;

import java.time.Duration;

import dev.mim4j.training.Devices;
import dev.mim4j.training.distributed.Rendezvous;
import dev.mim4j.training.distributed.World;
import picocli.CommandLine.Option;

/**
 * How a training command takes part in a data-parallel run: the world its environment describes (torchrun's
 * {@code RANK}, {@code WORLD_SIZE}, {@code MASTER_ADDR}, {@code MASTER_PORT}, as {@code mim4j launch}, SLURM
 * or Kubernetes set them; one process when none is set) and how long it waits for the others.
 */
final class WorldOptions {

    @Option(names = "--world-timeout", defaultValue = "60", paramLabel = "SECONDS", description = "In a"
            + " data-parallel run (mim4j launch, or torchrun's RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT): how long"
            + " a process waits for the others at a step before it stops, naming itself and the step (default:"
            + " ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** What goes before a training command's name to run it again in {@code world}: " launch --nproc N", or "". */
    static String launchPrefix(World world) {
        return world.size() == 1 ? "" : " launch --nproc " + world.size();
    }

    /**
     * Joins the world of this process's environment, for a run on {@code device} (--device): over NCCL on CUDA,
     * each process on the GPU of its local rank, over Gloo on the CPU; a world of one when the environment names
     * none.
     */
    World join(String device) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--world-timeout " + timeoutSeconds + " must be at least 1 second");
        }
        Rendezvous rendezvous = Rendezvous.fromEnvironment();
        return World.join(rendezvous, Duration.ofSeconds(timeoutSeconds),
                Devices.resolve(device, rendezvous.localRank()));
    }
}
