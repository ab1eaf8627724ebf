package dev.mim4j.models.image;

import java.util.SplittableRandom;

/**
 * One step of preprocessing or augmentation, from image to image. All randomness comes from the
 * given source, which the loader derives from (seed, epoch, item), so that an augmented image
 * never depends on which thread made it; a transform returns a new image and leaves its input
 * unchanged, or returns the input itself when it has nothing to do.
 */
@FunctionalInterface
public interface ImageTransform {

    /** The transformed image, drawing any random choice from {@code random}. */
    FloatImage apply(FloatImage image, SplittableRandom random);
}
