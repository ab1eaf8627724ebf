package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.given;

import dev.mim4j.models.image.Compose;
import dev.mim4j.models.image.EvaluationView;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;

/** The transform pipelines of MAE's and SimMIM's recipes, ready to hand to a {@link BatchLoader}. */
public final class Transforms {

    private Transforms() {}

    /**
     * MAE's pre-training augmentation: a random resized crop to {@code size} x {@code size}
     * (scale [0.2, 1], ratio [3/4, 4/3], bicubic), a horizontal flip half of the time, then
     * {@code normalize}.
     */
    public static ImageTransform maePretrain(int size, Normalize normalize) {
        atLeastOne("image size", size);
        given("normalize", normalize);
        return Compose.of(RandomResizedCrop.mae(size, size), new HorizontalFlip(0.5), normalize);
    }

    /**
     * SimMIM's pre-training augmentation: a random resized crop to {@code size} x {@code size}
     * (scale [0.67, 1], ratio [3/4, 4/3], bilinear), a horizontal flip half of the time, then
     * {@code normalize}.
     */
    public static ImageTransform simmimPretrain(int size, Normalize normalize) {
        atLeastOne("image size", size);
        given("normalize", normalize);
        return Compose.of(RandomResizedCrop.simmim(size, size), new HorizontalFlip(0.5), normalize);
    }

    /**
     * The evaluation view of MAE's fine-tuning and linear probing: the shorter side resized to
     * {@code size * 256 / 224} (bicubic), the central {@code size} x {@code size}, then
     * {@code normalize}; images that already are {@code size} x {@code size} are not resized.
     */
    public static ImageTransform eval(int size, Normalize normalize) {
        atLeastOne("image size", size);
        return EvaluationView.of(size, size, normalize);
    }
}
