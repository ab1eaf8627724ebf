package dev.mim4j.samples.examples.maskfeat;

import static org.bytedeco.pytorch.global.torch.atan2;
import static org.bytedeco.pytorch.global.torch.reflection_pad2d;
import static org.bytedeco.pytorch.global.torch.zeros;

import java.util.Optional;

import dev.mim4j.dsl.Backbone;
import dev.mim4j.models.Tensors;
import dev.mim4j.models.mim.TargetFunction;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The compiled {@link HogTarget}: images {@code [batch, C, H, W]} to each patch's histograms
 * {@code [batch, tokens, C * bins * cells * cells]}, tokens row-major as the patches, and within a token channel,
 * bin, cell row, cell column. No way back to pixels: pictures show the target and the prediction as glyphs
 * ({@link #draw}).
 */
public final class HogTargetFunction implements TargetFunction {

    private final int bins;
    private final int cellSize;
    private final int patchSize;
    private final float[] window;

    /** The compiler of {@link HogTarget}. */
    public static HogTargetFunction compile(HogTarget target, Backbone backbone) {
        return new HogTargetFunction(target, backbone.grid().patchSize());
    }

    private HogTargetFunction(HogTarget target, int patchSize) {
        this.bins = target.bins();
        this.cellSize = target.cellSize();
        this.patchSize = patchSize;
        this.window = gaussianWindow(patchSize);
    }

    @Override
    public Tensor of(Tensor images) {
        long batch = images.size(0);
        long channels = images.size(1);
        long height = images.size(2);
        long width = images.size(3);
        Tensor x = images.detach().to(ScalarType.Float);
        Tensor padded = reflection_pad2d(x, 1, 1, 1, 1);
        // Sobel: x(i, j) - x(i, j+2) + 2 (x(i+1, j) - x(i+1, j+2)) + x(i+2, j) - x(i+2, j+2), and transposed
        Tensor gx = shifted(padded, 0, 0, height, width).sub(shifted(padded, 0, 2, height, width))
                .add(shifted(padded, 1, 0, height, width).sub(shifted(padded, 1, 2, height, width)).mul(new Scalar(2.0)))
                .add(shifted(padded, 2, 0, height, width).sub(shifted(padded, 2, 2, height, width)));
        Tensor gy = shifted(padded, 0, 0, height, width).sub(shifted(padded, 2, 0, height, width))
                .add(shifted(padded, 0, 1, height, width).sub(shifted(padded, 2, 1, height, width)).mul(new Scalar(2.0)))
                .add(shifted(padded, 0, 2, height, width).sub(shifted(padded, 2, 2, height, width)));
        Tensor magnitude = gx.square().add(gy.square()).sqrt();
        // unsigned orientation: an angle in (-pi, pi] to a bin of [0, pi), opposite directions in one bin
        Tensor bin = atan2(gx, gy).div(new Scalar(Math.PI)).mul(new Scalar((double) bins)).floor()
                .remainder(new Scalar((double) bins)).to(ScalarType.Long);
        long rows = height / patchSize;
        long columns = width / patchSize;
        Tensor gaussian = Tensors.floats(window, 1, 1, 1, patchSize, 1, patchSize).to(x.device(), ScalarType.Float);
        Tensor weighted = magnitude.reshape(batch, channels, rows, patchSize, columns, patchSize).mul(gaussian)
                .reshape(batch, channels, 1, height, width);
        Tensor votes = zeros(new long[] {batch, channels, bins, height, width},
                new TensorOptions(ScalarType.Float).device(new DeviceOptional(x.device())))
                .scatter_add_(2, bin.unsqueeze(2), weighted); // [b, c, bins, h, w]
        long cells = patchSize / cellSize;
        Tensor histograms = votes.reshape(batch, channels, bins, rows, cells, cellSize, columns, cells, cellSize)
                .sum(new long[] {5, 8}, false, new ScalarTypeOptional()); // [b, c, bins, rows, cells, columns, cells]
        Tensor norms = histograms.square().sum(new long[] {2}, true, new ScalarTypeOptional()).sqrt()
                .clamp_min(new Scalar(1e-12));
        return histograms.div(norms).permute(0, 3, 5, 1, 2, 4, 6)
                .reshape(batch, rows * columns, channels * bins * cells * cells);
    }

    /**
     * The histograms as HOG is usually shown: in each cell, for each bin, a line through the cell's centre along
     * the edges of that orientation (across the gradient), as bright as the bin's value averaged over the channels.
     */
    @Override
    public Optional<Tensor> draw(Tensor values, Tensor images) {
        int batch = (int) images.size(0);
        int channels = (int) images.size(1);
        int height = (int) images.size(2);
        int width = (int) images.size(3);
        int columns = width / patchSize;
        int cells = patchSize / cellSize;
        int perToken = channels * bins * cells * cells;
        int tokens = (height / patchSize) * columns;
        float[] histograms = Tensors.toFloats(values.detach().to(ScalarType.Float));
        float[] drawing = new float[batch * height * width];
        for (int n = 0; n < batch; n++) {
            for (int token = 0; token < tokens; token++) {
                int base = (n * tokens + token) * perToken;
                for (int cy = 0; cy < cells; cy++) {
                    for (int cx = 0; cx < cells; cx++) {
                        for (int bin = 0; bin < bins; bin++) {
                            float value = 0;
                            for (int c = 0; c < channels; c++) {
                                value += histograms[base + ((c * bins + bin) * cells + cy) * cells + cx] / channels;
                            }
                            double angle = (bin + 0.5) * Math.PI / bins; // the gradient's, as the bins count it
                            int top = (token / columns) * patchSize + cy * cellSize;
                            int left = (token % columns) * patchSize + cx * cellSize;
                            line(drawing, n, height, width, top, left, cellSize, -Math.sin(angle), Math.cos(angle),
                                    Math.max(0f, Math.min(1f, value)));
                        }
                    }
                }
            }
        }
        return Optional.of(Tensors.floats(drawing, batch, 1, height, width));
    }

    /**
     * A line along (dy, dx) through the centre of the {@code size}-pixel cell at (top, left) of image {@code n},
     * kept inside the cell, each pixel keeping the brighter of two values.
     */
    private static void line(float[] drawing, int n, int height, int width, int top, int left, int size, double dy,
            double dx, float value) {
        double centre = (size - 1) / 2.0;
        // cos(pi / 2) is 6e-17, not 0: a vertical or horizontal line must not wobble between two columns
        dy = Math.abs(dy) < 1e-9 ? 0 : dy;
        dx = Math.abs(dx) < 1e-9 ? 0 : dx;
        for (double t = -size / 2.0; t <= size / 2.0; t += 0.25) {
            int y = (int) Math.floor(centre + t * dy + 0.5);
            int x = (int) Math.floor(centre + t * dx + 0.5);
            if (y >= 0 && y < size && x >= 0 && x < size) {
                int index = (n * height + top + y) * width + left + x;
                drawing[index] = Math.max(drawing[index], value);
            }
        }
    }

    private static Tensor shifted(Tensor padded, long down, long right, long height, long width) {
        return padded.narrow(2, down, height).narrow(3, right, width);
    }

    /**
     * A Gaussian over a patch, summing to 1: MaskFeat's window, whose standard deviation is half its 16 pixels;
     * here half the patch, also for odd patches (3.5 for 7 pixels, where MaskFeat's integer halving would give 3).
     */
    private static float[] gaussianWindow(int patchSize) {
        double centre = (patchSize - 1) / 2.0;
        double std = patchSize / 2.0;
        double[] line = new double[patchSize];
        double sum = 0;
        for (int i = 0; i < patchSize; i++) {
            line[i] = Math.exp(-0.5 * Math.pow((i - centre) / std, 2));
            sum += line[i];
        }
        float[] window = new float[patchSize * patchSize];
        for (int i = 0; i < patchSize; i++) {
            for (int j = 0; j < patchSize; j++) {
                window[i * patchSize + j] = (float) (line[i] * line[j] / (sum * sum));
            }
        }
        return window;
    }
}
