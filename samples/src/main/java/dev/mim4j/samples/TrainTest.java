package dev.mim4j.samples;

import dev.mim4j.models.image.ImageSize;
import dev.mim4j.training.data.ImageDataset;
import dev.mim4j.training.eval.Features;

/** Train and test datasets whose images come out at {@code size}. */
record TrainTest(ImageDataset train, ImageDataset test, ImageSize size) {

    /** The classes of an evaluation: as many as the labels show or the data names, at least 1. */
    int classes(Features trainFeatures, Features testFeatures) {
        return Math.max(1, Math.max(Math.max(trainFeatures.classCount(), testFeatures.classCount()),
                train.classNames().size()));
    }
}
