import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes {@code count} random RGB PNGs of {@code size} x {@code size} into a folder, as data for the
 * benchmarks and fault scripts: {@code java bench/RandomImages.java <folder> <count> <size>}.
 */
public final class RandomImages {

    public static void main(String[] args) throws IOException {
        File folder = new File(args[0]);
        int count = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        if (!folder.mkdirs() && !folder.isDirectory()) {
            throw new IOException("cannot create " + folder);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            int base = random.nextInt(0xFFFFFF);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    image.setRGB(x, y, (base + (x * 7 + y * 13) * random.nextInt(4)) & 0xFFFFFF);
                }
            }
            ImageIO.write(image, "png", new File(folder, String.format("image-%05d.png", i)));
        }
    }
}
