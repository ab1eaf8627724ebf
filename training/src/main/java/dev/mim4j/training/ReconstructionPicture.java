package dev.mim4j.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.AtomicFiles;

/**
 * Draws reconstructions as a PNG grid, one row per image and four columns: original | masked |
 * reconstruction | reconstruction with the visible patches pasted back; or, for a target that draws itself,
 * original | masked | the target drawn | the prediction drawn. Pixels are mapped from the model's input space
 * back to [0, 1] with the normalisation's per-channel mean and std; a target's drawings are grey in [0, 1].
 */
public final class ReconstructionPicture {

    private static final int GAP = 2;

    private ReconstructionPicture() {
    }

    /**
     * Writes the picture (through a temporary file and a rename).
     *
     * @param scale each image pixel drawn as a {@code scale x scale} square
     */
    public static void write(Reconstructions r, float[] mean, float[] std, int scale, Path path) throws IOException {
        checkNormalization(r.channels(), mean, std);
        Panel input = new Panel(r.channels(), mean, std);
        write(r.count(), r.height(), r.width(), new float[][] {r.original(), r.masked(), r.reconstruction(),
            r.pasted()}, new Panel[] {input, input, input, input}, scale, path);
    }

    /**
     * Writes the picture of a target that draws itself, one row per image: original | masked | the target drawn
     * | the prediction drawn (through a temporary file and a rename).
     *
     * @param scale each image pixel drawn as a {@code scale x scale} square
     */
    public static void write(TargetDrawings d, float[] mean, float[] std, int scale, Path path) throws IOException {
        checkNormalization(d.channels(), mean, std);
        Panel input = new Panel(d.channels(), mean, std);
        Panel grey = new Panel(1, new float[] {0f}, new float[] {1f});
        write(d.count(), d.height(), d.width(), new float[][] {d.original(), d.masked(), d.target(), d.prediction()},
                new Panel[] {input, input, grey, grey}, scale, path);
    }

    /** How a panel's values become colours: its channels, and the normalisation that maps them back to [0, 1]. */
    private record Panel(int channels, float[] mean, float[] std) {
    }

    private static void checkNormalization(int channels, float[] mean, float[] std) {
        if (mean.length != channels || std.length != channels) {
            throw new Mim4jException("normalisation", "normalisation has " + mean.length + " means and " + std.length
                    + " stds for " + channels + "-channel images");
        }
    }

    private static void write(int count, int height, int width, float[][] panels, Panel[] kinds, int scale,
            Path path) throws IOException {
        int cellW = width * scale;
        int cellH = height * scale;
        BufferedImage picture = new BufferedImage(4 * cellW + 5 * GAP, count * cellH + (count + 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int n = 0; n < count; n++) {
            for (int column = 0; column < 4; column++) {
                draw(picture, panels[column], kinds[column], n, height, width, scale, GAP + column * (cellW + GAP),
                        GAP + n * (cellH + GAP));
            }
        }
        AtomicFiles.write(path, temporary -> {
            if (!ImageIO.write(picture, "png", temporary.toFile())) {
                throw new IOException(path + ": no PNG writer in this JVM");
            }
        });
    }

    private static void draw(BufferedImage picture, float[] pixels, Panel kind, int n, int height, int width,
            int scale, int left, int top) {
        int plane = height * width;
        int base = n * kind.channels() * plane;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] rgb = new int[3];
                for (int k = 0; k < 3; k++) {
                    int c = kind.channels() == 1 ? 0 : k;
                    float value = pixels[base + c * plane + y * width + x] * kind.std()[c] + kind.mean()[c];
                    rgb[k] = Math.round(255 * Math.max(0f, Math.min(1f, value)));
                }
                int colour = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        picture.setRGB(left + x * scale + dx, top + y * scale + dy, colour);
                    }
                }
            }
        }
    }
}
