package dev.mim4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** DINO's weighted kNN on features whose answer is known. */
class KnnTest {

    @Test
    void wellSeparatedClustersAreAllRight() {
        Features train = Clusters.gaussian(3, 100, 8, 5.0, 0.3, 1);
        Features test = Clusters.gaussian(3, 30, 8, 5.0, 0.3, 2);
        KnnResult result = Knn.knn(train, test, 3);
        assertThat(result.top1()).isEqualTo(1.0);
        assertThat(result.top5()).as("top-min(5, 3) holds every class").isEqualTo(1.0);
        assertThat(result.k()).isEqualTo(Knn.DEFAULT_K);
        assertThat(result.temperature()).isEqualTo(Knn.DEFAULT_TEMPERATURE);
        assertThat(result.count()).isEqualTo(90);
    }

    @Test
    void overlappingClustersAreBetweenChanceAndPerfect() {
        Features train = Clusters.gaussian(2, 200, 8, 1.0, 1.0, 3);
        Features test = Clusters.gaussian(2, 200, 8, 1.0, 1.0, 4);
        double top1 = Knn.knn(train, test, 2).top1();
        assertThat(top1).isBetween(0.6, 0.95);
    }

    /**
     * Test point (1, 0); neighbours of class 0 at cosine 0.5 (twice) and one of class 1 at cosine 0.9;
     * a fourth, class-1 point at cosine -1 is not among the k = 3. Class 0 gets 2 exp(0.5 / T), class 1
     * exp(0.9 / T): class 1 wins below T = 0.4 / ln 2 = 0.577 and class 0 above.
     */
    @Test
    void votesAreWeightedByExpSimilarityOverTemperature() {
        float h = (float) Math.sqrt(0.75);
        Features train = Clusters.of(new float[][] {{0.5f, h}, {0.5f, -h}, {0.9f, (float) Math.sqrt(0.19)}, {-1, 0}},
                0, 0, 1, 1);
        Features classOne = Clusters.of(new float[][] {{1, 0}}, 1);
        assertThat(Knn.knn(train, classOne, 3, 0.07, 2).top1()).isEqualTo(1.0);
        assertThat(Knn.knn(train, classOne, 3, 0.55, 2).top1()).isEqualTo(1.0);
        assertThat(Knn.knn(train, classOne, 3, 0.60, 2).top1()).isEqualTo(0.0);
        assertThat(Knn.knn(train, classOne, 3, 10.0, 2).top1()).isEqualTo(0.0);
        assertThat(Knn.knn(train, classOne, 1, 10.0, 2).top1()).as("k = 1: the nearest alone").isEqualTo(1.0);
    }

    @Test
    void featuresAreComparedByDirectionNotLength() {
        Features train = Clusters.of(new float[][] {{100, 0}, {0, 0.01f}}, 0, 1);
        Features test = Clusters.of(new float[][] {{0.01f, 0}, {0, 100}}, 0, 1);
        assertThat(Knn.knn(train, test, 1, 0.07, 2).top1()).isEqualTo(1.0);
    }

    @Test
    void chunksOfTestRowsGiveTheSameAnswer() {
        Features train = Clusters.gaussian(4, 50, 6, 1.5, 1.0, 5);
        Features test = Clusters.gaussian(4, 25, 6, 1.5, 1.0, 6);
        KnnResult whole = Knn.knn(train, test, 10, 0.07, 4, 1000);
        KnnResult chunked = Knn.knn(train, test, 10, 0.07, 4, 7);
        assertThat(chunked).isEqualTo(whole);
        assertThat(whole.top5()).as("top-4 of 4 classes").isEqualTo(1.0);
    }

    @Test
    void settingsOutOfRangeAreNamed() {
        Features train = Clusters.gaussian(2, 5, 4, 3.0, 0.1, 7);
        Features test = Clusters.gaussian(2, 5, 4, 3.0, 0.1, 8);
        assertThatThrownBy(() -> Knn.knn(train, test, 11, 0.07, 2))
                .hasMessage("kNN k 11 must be between 1 and the 10 train images");
        assertThatThrownBy(() -> Knn.knn(train, test, 0, 0.07, 2))
                .hasMessage("kNN k 0 must be between 1 and the 10 train images");
        assertThatThrownBy(() -> Knn.knn(train, test, 5, 0.0, 2))
                .hasMessage("kNN temperature 0.0 must be positive and finite");
        assertThatThrownBy(() -> Knn.knn(train, Clusters.gaussian(2, 5, 3, 3.0, 0.1, 8), 5, 0.07, 2))
                .hasMessage("kNN train features are 4 wide but the test features are 3; both must come from the"
                        + " same encoder and pooling");
        assertThatThrownBy(() -> Knn.knn(train, test, 5, 0.07, 1))
                .hasMessage("the train features have label 1 at row 1, outside the 1 classes [0, 1)");
    }

    @Test
    void unlabelledImagesAreRejected() {
        Features train = Clusters.gaussian(2, 5, 4, 3.0, 0.1, 9);
        Features unlabelled = new Features(train.values(), new int[] {0, 1, 0, -1, 1, 0, 1, 0, 1, 0}, null);
        assertThatThrownBy(() -> Knn.knn(train, unlabelled, 3, 0.07, 2))
                .hasMessage("the test features have unlabelled images (label -1 at row 3); kNN and the linear probe"
                        + " need a labelled dataset");
    }
}
