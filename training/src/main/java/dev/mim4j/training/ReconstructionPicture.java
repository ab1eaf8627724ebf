package dev.mim4j.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.imageio.ImageIO;

import dev.mim4j.dsl.Mim4jException;

/**
 * Draws reconstructions as a PNG grid, one row per image and four columns: original | masked |
 * reconstruction | reconstruction with the visible patches pasted back. Pixels are mapped from the
 * model's input space back to [0, 1] with the normalisation's per-channel mean and std.
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
        if (mean.length != r.channels() || std.length != r.channels()) {
            throw new Mim4jException("normalisation", "normalisation has " + mean.length + " means and " + std.length
                    + " stds for " + r.channels() + "-channel images");
        }
        int cellW = r.width() * scale;
        int cellH = r.height() * scale;
        BufferedImage picture = new BufferedImage(4 * cellW + 5 * GAP, r.count() * cellH + (r.count() + 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        float[][] panels = {r.original(), r.masked(), r.reconstruction(), r.pasted()};
        for (int n = 0; n < r.count(); n++) {
            for (int column = 0; column < 4; column++) {
                draw(picture, panels[column], n, r, mean, std, scale, GAP + column * (cellW + GAP),
                        GAP + n * (cellH + GAP));
            }
        }
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, ".picture", ".png");
        try {
            ImageIO.write(picture, "png", temporary.toFile());
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void draw(BufferedImage picture, float[] pixels, int n, Reconstructions r, float[] mean,
            float[] std, int scale, int left, int top) {
        int plane = r.height() * r.width();
        int base = n * r.channels() * plane;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int[] rgb = new int[3];
                for (int k = 0; k < 3; k++) {
                    int c = r.channels() == 1 ? 0 : k;
                    float value = pixels[base + c * plane + y * r.width() + x] * std[c] + mean[c];
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
