package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.given;

/**
 * The evaluation view of MAE's fine-tuning and linear probing, which features, probes and inference all
 * take: the shorter side resized to {@code size * 256 / 224} (bicubic), the central crop of the model's
 * size, then the normalisation; images that already are the model's size are not resized.
 */
public final class EvaluationView {

    private EvaluationView() {
    }

    /** The view for a model of {@code height} x {@code width} ({@code size} is the larger of the two). */
    public static ImageTransform of(int height, int width, Normalize normalize) {
        atLeastOne("image height", height);
        atLeastOne("image width", width);
        given("normalize", normalize);
        int size = Math.max(height, width);
        return Compose.of(new ResizeAndCenterCrop(size * 256 / 224, height, width, Interpolation.BICUBIC), normalize);
    }
}
