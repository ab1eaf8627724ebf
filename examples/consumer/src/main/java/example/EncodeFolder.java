package example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.mim4j.models.Versions;
import dev.mim4j.models.inference.ImageEncoder;

/**
 * Loads a mim4j pre-training checkpoint and prints the features' shape for every image of a folder.
 * Args: {@code <checkpoint file or run folder> <folder of images>}.
 */
public final class EncodeFolder {

    private EncodeFolder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: EncodeFolder <checkpoint> <folder of images>");
            System.exit(2);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of(args[1]))) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        }
        try (ImageEncoder encoder = ImageEncoder.load(Path.of(args[0]))) {
            float[][] features = encoder.featuresOfFiles(files);
            float[][][] grid = encoder.patchTokens(List.of(javax.imageio.ImageIO.read(files.get(0).toFile())));
            System.out.println(Versions.describe());
            System.out.println("encoder: " + encoder.spec().describe());
            System.out.println("features: " + features.length + " x " + features[0].length + " (" + encoder.pooling().label()
                    + " pooling)");
            System.out.println("patch tokens of " + files.get(0).getFileName() + ": " + grid[0].length + " x "
                    + grid[0][0].length);
        }
    }
}
