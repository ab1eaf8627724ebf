package dev.mim4j.models.image;

import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.util.List;
import java.util.SplittableRandom;

/** Transforms applied in order, each drawing from the same random source after the one before. */
public record Compose(List<ImageTransform> transforms) implements ImageTransform {

    public Compose {
        given("transforms", transforms);
        check(transforms.stream().allMatch(t -> t != null), "transforms must not hold null: %s", transforms);
        transforms = List.copyOf(transforms);
    }

    /** The transforms in order. */
    public static Compose of(ImageTransform... transforms) {
        return new Compose(List.of(transforms));
    }

    @Override
    public FloatImage apply(FloatImage image, SplittableRandom random) {
        FloatImage result = image;
        for (ImageTransform transform : transforms) {
            result = transform.apply(result, random);
        }
        return result;
    }
}
