package dev.mim4j.training.data;

import static dev.mim4j.models.image.DataChecks.atLeastOne;
import static dev.mim4j.models.image.DataChecks.check;
import static dev.mim4j.models.image.DataChecks.given;

import java.io.IOException;

import dev.mim4j.models.image.FloatImage;
import dev.mim4j.models.image.Normalize;

/** The normalisation of a dataset of one's own, measured from its images. */
public final class NormalizationStats {

    private static final System.Logger LOG = System.getLogger(NormalizationStats.class.getName());

    private NormalizationStats() {
    }

    /**
     * The per-channel mean and standard deviation of {@code dataset}'s pixels, over
     * {@code sampleCount} images drawn from {@code seed} (all of them if the dataset is smaller),
     * for data unlike ImageNet, such as grayscale digits. Images that cannot be read are skipped
     * or fail as the dataset's {@link ImageDataset#badImagePolicy()} says.
     *
     * @throws IOException if an image cannot be read under {@link BadImagePolicy#FAIL}, or none can
     */
    public static Normalize of(ImageDataset dataset, int sampleCount, long seed) throws IOException {
        given("dataset", dataset);
        atLeastOne("normalize sample count", sampleCount);
        check(dataset.size() > 0, "cannot compute normalisation statistics of an empty dataset: %s",
                dataset.describe());
        int channels = dataset.channels();
        double[] sum = new double[channels];
        double[] sumOfSquares = new double[channels];
        long pixels = 0;
        int[] order = EpochOrder.permutation(dataset.size(), Seeds.mix(seed));
        int samples = Math.min(sampleCount, dataset.size());
        for (int i = 0; i < samples; i++) {
            FloatImage image;
            try {
                image = dataset.read(order[i]);
            } catch (IOException e) {
                if (dataset.badImagePolicy() == BadImagePolicy.FAIL) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "skipping a bad image in the normalisation sample: {0}",
                        e.getMessage());
                continue;
            }
            int plane = image.height() * image.width();
            float[] values = image.pixels();
            for (int c = 0; c < channels; c++) {
                for (int p = c * plane; p < (c + 1) * plane; p++) {
                    sum[c] += values[p];
                    sumOfSquares[c] += (double) values[p] * values[p];
                }
            }
            pixels += plane;
        }
        if (pixels == 0) {
            throw new IOException("none of the " + samples + " sampled images of " + dataset.describe()
                    + " could be read");
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double average = sum[c] / pixels;
            mean[c] = (float) average;
            std[c] = (float) Math.sqrt(Math.max(0, sumOfSquares[c] / pixels - average * average));
            check(std[c] > 0, "channel %d is constant (%s) in the %d sampled images of %s; it cannot be"
                    + " standardised", c, mean[c], samples, dataset.describe());
        }
        return new Normalize(mean, std);
    }
}
