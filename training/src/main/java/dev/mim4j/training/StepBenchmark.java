package dev.mim4j.training;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.ResidentMemory;

import static org.bytedeco.pytorch.global.torch.randn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Natives;
import dev.mim4j.models.mim.MimModel;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Times pre-training steps (masking, forward, backward, AdamW) on random images, the same work
 * as the reference's {@code step_bench.py}: two warm-up steps, then the median and minimum of the
 * timed ones. Data loading is left out on purpose; it is measured on its own.
 */
public final class StepBenchmark {

    /** The timings, with the fields of the reference's JSON line. */
    public record Result(int batch, int threads, double medianSeconds, double minSeconds, double loss,
            long peakResidentBytes) {

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
        double loss = Double.NaN;
        long peak = 0;
        for (int i = 0; i < steps + 2; i++) {
            long start = System.nanoTime();
            try (PointerScope scope = new PointerScope()) {
                Tensor value;
                try (Autocast autocast = Autocast.bf16(new org.bytedeco.pytorch.Device("cpu"), bf16)) {
                    value = model.forward(images, random).loss();
                }
                optimizer.zeroGrad();
                value.backward();
                optimizer.step(lr);
                loss = value.item_double();
            }
            if (i >= 2) {
                times.add((System.nanoTime() - start) / 1e9);
            }
            peak = Math.max(peak, ResidentMemory.bytes());
        }
        Collections.sort(times);
        model.close();
        return new Result(batch, threads, times.get(times.size() / 2), times.get(0), loss, peak);
    }
}
