package dev.mim4j.training;

import static org.bytedeco.pytorch.global.torch.randn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Natives;
import dev.mim4j.models.ResidentMemory;
import dev.mim4j.models.mim.MimModel;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Times pre-training steps (masking, forward, backward, AdamW) on random images, the same work
 * as the reference's {@code step_bench.py}: two warm-up steps, then the median and minimum of the
 * timed ones, and the median of each phase, so that a claim about speed can say where the time goes.
 * Data loading is left out on purpose; it is measured on its own.
 */
public final class StepBenchmark {

    /**
     * Where a step's time goes, in seconds: drawing the masks, the forward pass to the loss (under autocast
     * when bf16), the backward pass, and the optimiser (clearing the gradients and AdamW's update).
     */
    public record Phases(double masking, double forward, double backward, double optimizer) {

        /** The phases of one step, from the five times that bound them. */
        static Phases between(long... nanos) {
            return new Phases((nanos[1] - nanos[0]) / 1e9, (nanos[2] - nanos[1]) / 1e9, (nanos[3] - nanos[2]) / 1e9,
                    (nanos[4] - nanos[3]) / 1e9);
        }

        /** The median of each phase over {@code steps}, phase by phase. */
        static Phases medians(List<Phases> steps) {
            return new Phases(median(steps, Phases::masking), median(steps, Phases::forward),
                    median(steps, Phases::backward), median(steps, Phases::optimizer));
        }

        private static double median(List<Phases> steps, ToDoubleFunction<Phases> phase) {
            double[] values = steps.stream().mapToDouble(phase).sorted().toArray();
            return values[values.length / 2];
        }
    }

    /** The timings, with the fields of the reference's JSON line, and the median of each phase. */
    public record Result(int batch, int threads, double medianSeconds, double minSeconds, double loss,
            long peakResidentBytes, Phases phases) {

        public double imagesPerSecond() {
            return batch / medianSeconds;
        }
    }

    private StepBenchmark() {
    }

    /**
     * Times {@code steps} training steps of {@code recipe} at {@code batch} on {@code threads} intra-op threads,
     * under bf16 autocast when {@code bf16}. The learning rate is the reference's, 1.5e-4 x batch / 256 with
     * betas 0.9/0.95 and weight decay 0.05 on every parameter.
     */
    public static Result run(MimRecipe recipe, int batch, int steps, int threads, boolean bf16) {
        if (steps < 1) {
            throw new Mim4jException("steps", "steps " + steps + " must be at least 1");
        }
        Natives.threads(threads);
        torch.manual_seed(0);
        MimModel model = MimModel.compile(recipe);
        model.train(true);
        AdamW optimizer = new AdamW(ParameterGroups.of(model, model.parameterRoles(), true), 0.9, 0.95, 1e-8, 0.05);
        double lr = 1.5e-4 * batch / 256;
        Backbone backbone = recipe.backbone();
        Tensor images = randn(batch, backbone.image().channels(), backbone.image().height(), backbone.image().width());
        SplittableRandom random = new SplittableRandom(0);
        List<Double> times = new ArrayList<>();
        List<Phases> phases = new ArrayList<>();
        Device cpu = new Device("cpu");
        double loss = Double.NaN;
        long peak = 0;
        for (int i = 0; i < steps + 2; i++) {
            long[] at = new long[5];
            try (PointerScope scope = new PointerScope()) {
                at[0] = System.nanoTime();
                MaskSample sample = MaskSample.draw(model.masking(), backbone.grid(), batch, random);
                at[1] = System.nanoTime();
                Tensor value;
                try (Autocast autocast = Autocast.bf16(cpu, bf16)) {
                    value = model.forward(images, sample).loss();
                }
                loss = value.item_double();
                at[2] = System.nanoTime();
                value.backward();
                at[3] = System.nanoTime();
                optimizer.step(lr);
                optimizer.zeroGrad();
                at[4] = System.nanoTime();
            }
            if (i >= 2) {
                times.add((at[4] - at[0]) / 1e9);
                phases.add(Phases.between(at));
            }
            peak = Math.max(peak, ResidentMemory.bytes());
        }
        Collections.sort(times);
        model.close();
        return new Result(batch, threads, times.get(times.size() / 2), times.get(0), loss, peak,
                Phases.medians(phases));
    }
}
