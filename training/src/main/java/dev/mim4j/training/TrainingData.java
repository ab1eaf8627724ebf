package dev.mim4j.training;

import java.util.Objects;

import dev.mim4j.models.image.ImageTransform;
import dev.mim4j.models.image.Normalize;
import dev.mim4j.training.data.BadImagePolicy;
import dev.mim4j.training.data.ImageDataset;

/**
 * The data side of a run: the images, the training augmentation, the deterministic view used for
 * pictures, the normalisation both end with (to map pictures back to pixels), and what a corrupt
 * image does.
 */
public record TrainingData(ImageDataset dataset, ImageTransform trainTransform, ImageTransform viewTransform,
        Normalize normalization, BadImagePolicy badImages) {

    public TrainingData {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(trainTransform, "trainTransform");
        Objects.requireNonNull(viewTransform, "viewTransform");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(badImages, "badImages");
    }
}
