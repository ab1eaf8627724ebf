package dev.mim4j.training.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mim4j.dsl.ViT;
import dev.mim4j.training.Checkpoints;
import dev.mim4j.training.TrainingListener;
import dev.mim4j.training.data.ImageTransform;
import dev.mim4j.training.data.Normalize;
import dev.mim4j.training.data.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest {

    static final ViT VIT = ViT.builder().image(16, 16, 1).patchSize(4).width(32).depth(2).heads(2).build();
    static final ImageTransform VIEW = Transforms.eval(16, new Normalize(new float[] {0.1f}, new float[] {0.3f}));

    static FineTuneConfig config(int epochs) {
        return new FineTuneConfig(epochs, 16, 5e-3, 1e-6, 1, 0.05, 0.75, 0.0, Mixup.none(0.1),
                ClassifierPooling.MEAN, 1, 1, 4, 2);
    }

    @Test
    void learnsAToySetWhoseAnswerIsKnown(@TempDir Path dir) throws Exception {
        double accuracy = FineTuner.start(VIT, null, 4, config(6), new QuadrantImages(256, 0), VIEW,
                new QuadrantImages(64, 1000), VIEW, dir).run();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void anInterruptedRunResumesToTheSameAccuracies(@TempDir Path dir) throws Exception {
        List<Double> whole = accuracies(FineTuner.start(VIT, null, 4, config(3), new QuadrantImages(128, 0), VIEW,
                new QuadrantImages(64, 1000), VIEW, dir.resolve("whole")));
        Path broken = dir.resolve("broken");
        List<Double> first = new ArrayList<>();
        FineTuner interrupted = FineTuner.start(VIT, null, 4, config(3), new QuadrantImages(128, 0), VIEW,
                new QuadrantImages(64, 1000), VIEW, broken).listener(new TrainingListener() {
                    @Override
                    public void onEvaluation(int epoch, String metric, double value) {
                        first.add(value);
                    }

                    @Override
                    public void onCheckpoint(Path checkpoint) {
                        if (first.size() == 2) {
                            throw new IllegalStateException("simulated crash after epoch 2");
                        }
                    }
                });
        assertThatThrownBy(interrupted::run).hasMessage("simulated crash after epoch 2");
        List<Double> rest = accuracies(FineTuner.resume(broken, new QuadrantImages(128, 0), VIEW,
                new QuadrantImages(64, 1000), VIEW, broken));
        List<Double> stitched = new ArrayList<>(first);
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
