package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.Encoder;
import dev.mim4j.models.Natives;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.training.EncoderEvaluation;
import dev.mim4j.training.MetricsLog;
import dev.mim4j.training.Pretrainer;
import dev.mim4j.training.RunSummary;
import dev.mim4j.training.StepMetrics;
import dev.mim4j.training.TrainConfig;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.TrainingListener;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kNN accuracy as a pre-training monitor: right on data whose answer is known, harmless to the run, not in its rate. */
class KnnMonitorTest {

    private static final ImageSize GREY = new ImageSize(1, 16, 16);
    private static final ViT VIT = ViT.builder().image(16, 16, 1).patchSize(4).width(32).depth(1).heads(2).build();
    private static final ImageTransform VIEW = Transforms.eval(16, new Normalize(new float[] {0.5f}, new float[] {0.25f}));

    @Test
    void imagesWhoseBrightnessIsTheClassAreAllClassifiedRight() {
        Natives.threads(1);
        BrightnessClasses images = new BrightnessClasses(90, 3, GREY, false);
        KnnMonitor monitor = new KnnMonitor(DatasetRange.of(images, 0, 60), DatasetRange.of(images, 60, 90), VIEW,
                Pooling.MEAN, 5, 0.07, 16, 1);
        assertThat(monitor.metric()).isEqualTo("knn_top1");
        assertThat(monitor.measure(VisionTransformer.compile(VIT))).isEqualTo(1.0);
    }

    @Test
    void labelsThatNothingInTheImagePredictsScoreNearChance() {
        Natives.threads(1);
        BrightnessClasses images = new BrightnessClasses(450, 3, GREY, true);
        KnnMonitor monitor = new KnnMonitor(DatasetRange.of(images, 0, 300), DatasetRange.of(images, 300, 450), VIEW,
                Pooling.MEAN, 5, 0.07, 64, 1);
        assertThat(monitor.measure(VisionTransformer.compile(VIT))).isBetween(0.15, 0.55);
    }

    @Test
    void anUnlabelledBankIsRefusedWithItsRole() {
        ModuloLabels unlabelled = new ModuloLabels(SyntheticDataset.of(4, GREY, 1), 0);
        assertThatThrownBy(() -> new KnnMonitor(unlabelled, new BrightnessClasses(4, 2, GREY, false), VIEW,
                Pooling.MEAN, 2, 0.07, 4, 1))
                .hasMessageStartingWith("the kNN monitor's memory bank (")
                .hasMessageContaining("has no labels");
        assertThatThrownBy(() -> new KnnMonitor(new BrightnessClasses(4, 2, GREY, false),
                new BrightnessClasses(4, 2, GREY, false), VIEW, Pooling.MEAN, 5, 0.07, 4, 1))
                .hasMessage("kNN k 5 must be between 1 and the 4 train images");
    }

    @Test
    void aRunMeasuresEveryNthAndTheLastEpochWithoutChangingItsLosses(@TempDir Path dir) throws Exception {
        TrainingData data = tinyData();
        KnnMonitor monitor = new KnnMonitor(DatasetRange.of(data.dataset(), 0, 48),
                DatasetRange.of(data.dataset(), 48, 64), data.viewTransform(), Pooling.MEAN, 5, 0.07, 16, 1);
        List<Double> plainLosses = new ArrayList<>();
        Pretrainer.start(tinyMae(), tinyConfig(), data, dir.resolve("plain")).listener(losses(plainLosses)).run();

        List<Double> monitoredLosses = new ArrayList<>();
        List<String> evaluations = new ArrayList<>();
        Path run = dir.resolve("monitored");
        Files.createDirectories(run);
        try (MetricsLog metrics = new MetricsLog(run.resolve("metrics.jsonl"))) {
            Pretrainer.start(tinyMae(), tinyConfig(), data, run).evaluateEvery(2, monitor)
                    .listener(losses(monitoredLosses)).listener(metrics).listener(new TrainingListener() {
                        @Override
                        public void onEvaluation(int epoch, String metric, double value) {
                            assertThat(value).isBetween(0.0, 1.0);
                            evaluations.add(epoch + " " + metric);
                        }
                    }).run();
        }
        assertThat(evaluations).as("after epochs 2 and 3 (of 3), counted from 0").containsExactly("1 knn_top1",
                "2 knn_top1");
        assertThat(monitoredLosses).as("the monitor changes nothing in the run").isEqualTo(plainLosses);
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).filteredOn(l -> l.contains("\"eval\""))
                .hasSize(2).allMatch(l -> l.contains("\"metric\": \"knn_top1\""));
        assertThatThrownBy(() -> Pretrainer.start(tinyMae(), tinyConfig(), data, dir.resolve("x"))
                .evaluateEvery(0, monitor))
                .hasMessageEndingWith("a period of at least 1 epoch, not 0");
    }

    @Test
    void evaluationTimeCountsInTheWallTimeButNotInTheTrainingRate(@TempDir Path dir) throws Exception {
        EncoderEvaluation slow = new EncoderEvaluation() {
            @Override
            public String metric() {
                return "slow";
            }

            @Override
            public double measure(Encoder encoder) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
        };
        RunSummary slowed = Pretrainer.start(tinyMae(), tinyConfig(), tinyData(), dir).evaluateEvery(1, slow)
                .run();
        assertThat(slowed.seconds()).as("evaluations are part of the wall time").isGreaterThan(4.5);
        assertThat(slowed.imagesPerSecond()).as("but not of the training rate")
                .isGreaterThan(3 * 64 / (slowed.seconds() - 4.5) / 2);
    }

    private static TrainingListener losses(List<Double> into) {
        return new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                into.add(m.loss());
            }
        };
    }

    private static MimRecipe tinyMae() {
        ViT vit = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(2).heads(2).build();
        return MimRecipe.mae(vit).toBuilder().decoder(Decoder.transformer(16, 1, 2)).build();
    }

    private static TrainingData tinyData() {
        SyntheticDataset dataset = SyntheticDataset.of(64, new ImageSize(3, 16, 16), 5);
        return new TrainingData(dataset, Transforms.maePretrain(16, Normalize.IMAGENET),
                Transforms.eval(16, Normalize.IMAGENET), Normalize.IMAGENET, BadImagePolicy.FAIL);
    }

    private static TrainConfig tinyConfig() {
        return TrainConfig.mae(3, 8).toBuilder().baseLearningRate(1e-2).warmupEpochs(1)
                .picturesEveryEpochs(0).seed(21).build();
    }
}
