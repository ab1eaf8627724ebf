package dev.mim4j.training;

import java.nio.file.Path;
import java.time.Duration;

import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Tensors;
import dev.mim4j.training.distributed.Rendezvous;
import dev.mim4j.training.distributed.World;

/**
 * One process of a data-parallel test run, as a user's program would be: it joins the world its environment
 * describes (torchrun's variables), pre-trains a tiny MAE on 40 synthetic images for one epoch at the batch its
 * arguments give, and exits 0; on a failure it prints the message and exits 1. Rank 0 prints "step N" after
 * each step, for a test to follow.
 *
 * <p>Arguments: output folder, batch size, accumulation, epochs, world timeout in seconds.
 */
final class DataParallelRank {

    static final int IMAGES = 40;

    private DataParallelRank() {
    }

    /**
     * The same mask for every image of step {@code step}, so that an image's mask does not depend on which rank
     * reads it, in which micro-batch or where in it: MAE keeps 4 of 16 tokens.
     */
    static MaskSample sameMaskForEveryImage(long step, int batch) {
        float[] noise = new float[batch * 16];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) ((i % 16 * 7 + step * 3) % 16) / 16;
        }
        return MaskSample.fromNoise(Tensors.floats(noise, batch, 16), 4);
    }

    /** Runs one process of the run in {@code output}; a world of one when the environment names none. */
    static RunSummary run(Path output, int batch, int accumulation, int epochs, Duration timeout) throws Exception {
        TrainConfig config = TinyRuns.config(epochs).toBuilder().batchSize(batch).accumulation(accumulation).build();
        try (World world = World.join(Rendezvous.fromEnvironment(), timeout)) {
            Pretrainer pretrainer = Pretrainer.start(TinyRuns.MAE, config, TinyRuns.data(IMAGES), output)
                    .machine(new MachineSettings("cpu", 1, 1))
                    .masks((microBatch, size) -> sameMaskForEveryImage(microBatch / accumulation, size))
                    .world(world)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepMetrics metrics) {
                            System.out.println("step " + metrics.step());
                        }
                    });
            return pretrainer.run();
        }
    }

    public static void main(String[] args) {
        try {
            run(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Duration.ofSeconds(Integer.parseInt(args[4])));
        } catch (Exception e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
