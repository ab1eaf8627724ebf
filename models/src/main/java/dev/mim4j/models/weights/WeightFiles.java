package dev.mim4j.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
        return isTorchSaveArchive(file) ? PthWeights.read(file) : SafetensorsWeights.open(file);
    }

    /** True when {@code file} starts as a zip archive, as a {@code .pth} of {@code torch.save} since PyTorch 1.6. */
    public static boolean isTorchSaveArchive(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] start = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(start, 0, start.length);
        }
        return read == start.length && startsAsZip(ByteBuffer.wrap(start));
    }

    /** Whether {@code start} (4 bytes at least) begins as a zip archive does: "PK\3\4". */
    static boolean startsAsZip(ByteBuffer start) {
        return start.get(0) == 'P' && start.get(1) == 'K' && start.get(2) == 3 && start.get(3) == 4;
    }
}
