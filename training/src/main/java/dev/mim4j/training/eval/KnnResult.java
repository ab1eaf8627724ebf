package dev.mim4j.training.eval;

/**
 * The accuracy of {@link Knn} on a test set.
 *
 * @param top1 fraction of test images whose class got the most votes
 * @param top5 fraction whose class is among the min(5, classes) classes with the most votes
 * @param k neighbours that voted
 * @param temperature the temperature of the vote weights {@code exp(similarity / temperature)}
 * @param count test images
 */
public record KnnResult(double top1, double top5, int k, double temperature, int count) {
}
