package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.mim4j.dsl.ViT;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.backbone.VisionTransformer;
import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.ImageSize;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.models.inference.Pooling;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.data.SyntheticDataset;
import dev.mim4j.training.data.Transforms;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Features of a frozen encoder: one row per image, each with its own image's label. */
class FeatureExtractorTest {

    private static final ViT VIT = ViT.builder().image(16, 16, 3).patchSize(4).width(32).depth(1).heads(2).build();
    private static final ImageTransform VIEW = Transforms.eval(16, Normalize.IMAGENET);

    @Test
    void everyImageOnceWithItsOwnLabel() throws Exception {
        Natives.threads(1);
        VisionTransformer encoder = VisionTransformer.compile(VIT);
        ImageDataset dataset = new ModuloLabels(SyntheticDataset.of(10, new ImageSize(3, 16, 16), 3), 3);
        float[][] expected = oneByOne(encoder, dataset, Pooling.CLS);
        encoder.train(true);
        try (Features features = FeatureExtractor.extract(encoder, dataset, VIEW, Pooling.CLS, 4, 2)) {
            assertThat(Tensors.shape(features.values())).containsExactly(10, 32);
            assertThat(features.pooling()).isEqualTo(Pooling.CLS);
            assertThat(encoder.is_training()).as("the encoder's mode is given back").isTrue();
            float[] values = Tensors.toFloats(features.values());
            int[] labels = features.labels();
            boolean[] seen = new boolean[10];
            for (int row = 0; row < 10; row++) {
                int image = nearest(Arrays.copyOfRange(values, row * 32, row * 32 + 32), expected);
                assertThat(seen[image]).as("image %d twice", image).isFalse();
                seen[image] = true;
                assertThat(labels[row]).as("label of row %d, image %d", row, image).isEqualTo(image % 3);
            }
        }
    }

    @Test
    void meanPoolingAveragesThePatchTokens() throws Exception {
        Natives.threads(1);
        VisionTransformer encoder = VisionTransformer.compile(VIT);
        ImageDataset dataset = new ModuloLabels(SyntheticDataset.of(3, new ImageSize(3, 16, 16), 4), 3);
        float[][] expected = oneByOne(encoder, dataset, Pooling.MEAN);
        try (Features features = FeatureExtractor.extract(encoder, dataset, VIEW, Pooling.MEAN, 8, 1)) {
            float[] values = Tensors.toFloats(features.values());
            for (int row = 0; row < 3; row++) {
                int image = features.labels()[row];
                float[] actual = Arrays.copyOfRange(values, row * 32, row * 32 + 32);
                assertThat(distance(actual, expected[image])).isLessThan(1e-4);
            }
        }
    }

    @Test
    void featuresOfAnEarlierBlockAreThoseOfTheEncoderCutThere() throws Exception {
        Natives.threads(1);
        VisionTransformer encoder = VisionTransformer.compile(VIT.toBuilder().depth(3).build());
        ImageDataset dataset = new ModuloLabels(SyntheticDataset.of(3, new ImageSize(3, 16, 16), 4), 3);
        try (Features early = FeatureExtractor.extract(encoder, 2, dataset, VIEW, Pooling.MEAN, 8, 1);
                Features last = FeatureExtractor.extract(encoder, dataset, VIEW, Pooling.MEAN, 8, 1);
                PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            encoder.train(false);
            FloatImage first = VIEW.apply(dataset.read(early.labels()[0]), new SplittableRandom(0));
            Tensor tokens = encoder.encode(Tensors.floats(first.pixels(), 1, 3, 16, 16), 2);
            float[] expected = Tensors.toFloats(tokens.narrow(1, 1, VIT.tokens()).mean(1));

            assertThat(distance(Arrays.copyOf(Tensors.toFloats(early.values()), 32), expected)).isLessThan(1e-4);
            assertThat(Tensors.toFloats(early.values())).isNotEqualTo(Tensors.toFloats(last.values()));
        }
        assertThatThrownBy(() -> FeatureExtractor.extract(encoder, 4, dataset, VIEW, Pooling.MEAN, 8, 1))
                .hasMessageEndingWith("has blocks 1 to 3");
    }

    @Test
    void clsPoolingNeedsAClsToken() {
        Natives.threads(1);
        VisionTransformer encoder = VisionTransformer.compile(VIT.toBuilder().classToken(false).build());
        ImageDataset dataset = SyntheticDataset.of(2, new ImageSize(3, 16, 16), 5);
        assertThatThrownBy(() -> FeatureExtractor.extract(encoder, dataset, VIEW, Pooling.CLS, 2, 1))
                .hasMessageStartingWith("pooling cls needs a cls token, but the encoder (")
                .hasMessageEndingWith(") has none; use pooling mean");
    }

    /** Each image's pooled features, computed alone, in dataset order. */
    private static float[][] oneByOne(VisionTransformer encoder, ImageDataset dataset, Pooling pooling)
            throws Exception {
        encoder.train(false);
        float[][] rows = new float[dataset.size()][];
        for (int i = 0; i < dataset.size(); i++) {
            FloatImage image = VIEW.apply(dataset.read(i), new SplittableRandom(0));
            try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
                Tensor tokens = encoder.encode(Tensors.floats(image.pixels(), 1, 3, 16, 16));
                rows[i] = Tensors.toFloats(pooling == Pooling.CLS ? tokens.select(1, 0)
                        : tokens.narrow(1, 1, VIT.tokens()).mean(1));
            }
        }
        return rows;
    }

    private static int nearest(float[] row, float[][] candidates) {
        int best = -1;
        for (int i = 0; i < candidates.length; i++) {
            if (best < 0 || distance(row, candidates[i]) < distance(row, candidates[best])) {
                best = i;
            }
        }
        assertThat(distance(row, candidates[best])).as("a row matches an image").isLessThan(1e-4);
        return best;
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
}
