package dev.mim4j.training;

import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.BatchLoader;
import dev.mim4j.training.data.ImageDataset;

/**
 * The data side of a run: the images, the training augmentation, the deterministic view used for
 * pictures, the normalisation both end with (to map pictures back to pixels), what a corrupt
 * image does, and the largest share of an epoch's images that may be skipped as corrupt before the run
 * stops ({@link BatchLoader.Builder#maxBadImages}).
 */
public record TrainingData(ImageDataset dataset, ImageTransform trainTransform, ImageTransform viewTransform,
        Normalize normalization, BadImagePolicy badImages, double maxBadImages) {

    public TrainingData {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(trainTransform, "trainTransform");
        Objects.requireNonNull(viewTransform, "viewTransform");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(badImages, "badImages");
        if (!(maxBadImages >= 0 && maxBadImages <= 1)) {
            throw new Mim4jException("max bad images", "the share of bad images " + maxBadImages
                    + " must be in [0, 1] (0.01: 1% of an epoch's images)");
        }
    }

    /** The share of an epoch's images a run may skip as corrupt unless set: 1%. */
    public static final double DEFAULT_MAX_BAD_IMAGES = 0.01;

    /** Data whose epochs may skip up to {@value #DEFAULT_MAX_BAD_IMAGES} of their images as corrupt. */
    public TrainingData(ImageDataset dataset, ImageTransform trainTransform, ImageTransform viewTransform,
            Normalize normalization, BadImagePolicy badImages) {
        this(dataset, trainTransform, viewTransform, normalization, badImages, DEFAULT_MAX_BAD_IMAGES);
    }

    /** This data, whose epochs may skip up to {@code share} of their images as corrupt. */
    public TrainingData withMaxBadImages(double share) {
        return new TrainingData(dataset, trainTransform, viewTransform, normalization, badImages, share);
    }
}
