package dev.mim4j.training.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.ViT;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.MachineSettings;
import dev.mim4j.training.TrainingData;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.TrainingListener;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest {

    static final ViT VIT = ViT.builder().image(16, 16, 1).patchSize(4).width(32).depth(2).heads(2).build();
    static final Normalize NORMALIZE = new Normalize(new float[] {0.1f}, new float[] {0.3f});
    static final ImageTransform VIEW = Transforms.eval(16, NORMALIZE);

    static FineTuneConfig config(int epochs) {
        return new FineTuneConfig(epochs, 16, 5e-3, 1e-6, 1, 0.05, 0.75, 0.0, Mixup.none(0.1),
                ClassifierPooling.MEAN, 4, 2);
    }

    /** {@code count} quadrant images to train on, seen through {@link #VIEW} (no augmentation). */
    static TrainingData train(int count) {
        return new TrainingData(new QuadrantImages(count, 0), VIEW, VIEW, NORMALIZE, BadImagePolicy.FAIL);
    }

    @Test
    void learnsAToySetWhoseAnswerIsKnown(@TempDir Path dir) throws Exception {
        double accuracy = FineTuner.start(VIT, null, 4, config(6), train(256), new QuadrantImages(64, 1000), dir)
                .machine(MachineSettings.defaults().withLoaderWorkers(1)).run();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void anInterruptedRunResumesToTheSameAccuracies(@TempDir Path dir) throws Exception {
        List<Double> whole = accuracies(FineTuner.start(VIT, null, 4, config(3), train(128),
                new QuadrantImages(64, 1000), dir.resolve("whole")));
        Path broken = dir.resolve("broken");
        List<Double> first = new ArrayList<>();
        FineTuner interrupted = FineTuner.start(VIT, null, 4, config(3), train(128), new QuadrantImages(64, 1000),
                broken).listener(new TrainingListener() {
                    @Override
                    public void onEvaluation(int epoch, String metric, double value) {
                        first.add(value);
                        if (first.size() == 2) {
                            // before epoch 2's checkpoint, which the loop writes once the epoch's work is done
                            throw new IllegalStateException("simulated crash after epoch 2");
                        }
                    }
                });
        assertThatThrownBy(interrupted::run).hasMessage("simulated crash after epoch 2");
        List<Double> rest = accuracies(FineTuner.resume(broken, train(128), new QuadrantImages(64, 1000), broken));
        // the resumed run trains epoch 2 again from epoch 1's checkpoint, to the same accuracy
        assertThat(rest.get(0)).isEqualTo(first.get(1));
        List<Double> stitched = new ArrayList<>(first.subList(0, 1));
        stitched.addAll(rest);
        assertThat(stitched).containsExactlyElementsOf(whole);
        assertThat(Checkpoints.latest(broken)).isPresent();
    }

    private static List<Double> accuracies(FineTuner tuner) throws Exception {
        List<Double> values = new ArrayList<>();
        tuner.listener(new TrainingListener() {
            @Override
            public void onEvaluation(int epoch, String metric, double value) {
                values.add(value);
            }
        }).run();
        return values;
    }
}
