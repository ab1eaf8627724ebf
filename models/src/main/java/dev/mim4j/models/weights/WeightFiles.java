package dev.mim4j.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Opens a file of weights by what it holds, not by its name: safetensors, or a {@code torch.save} file. */
public final class WeightFiles {

    private WeightFiles() {
    }

    /**
     * A safetensors file, or a {@code .pth} written by {@code torch.save} (a zip archive; read in Java).
     *
     * @throws IOException naming the file when it is neither, or is damaged
     */
    public static WeightSource open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return isTorchSave(file) ? PthWeights.read(file) : SafetensorsWeights.open(file);
    }

    /** True when {@code file} starts as the zip archives of {@code torch.save} do. */
    public static boolean isTorchSave(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] start = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(start, 0, start.length);
        }
        return read == 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4;
    }
}
