package dev.mim4j.models.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a run keeps its checkpoints: {@code checkpoint-00001234.safetensors} for step 1234, in the run's
 * folder. A checkpoint is named by its file, or by the run folder, which stands for its newest.
 */
public final class CheckpointFiles {

    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{8})\\.safetensors");

    private CheckpointFiles() {
    }

    /** {@code checkpoint-00001234.safetensors} for step 1234, in {@code directory}. */
    public static Path path(Path directory, long step) {
        return directory.resolve(String.format("checkpoint-%08d.safetensors", step));
    }

    /**
     * The checkpoint file itself, or the newest checkpoint in a run folder.
     *
     * @throws IOException naming the path when it is neither
     */
    public static Path resolve(Path fileOrDirectory) throws IOException {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        if (Files.isDirectory(fileOrDirectory)) {
            return latest(fileOrDirectory).orElseThrow(() -> new IOException(fileOrDirectory
                    + ": holds no checkpoint-NNNNNNNN.safetensors"));
        }
        if (!Files.exists(fileOrDirectory)) {
            throw new IOException(fileOrDirectory + ": no such checkpoint file or folder");
        }
        if (!Files.isRegularFile(fileOrDirectory)) {
            throw new IOException(fileOrDirectory + ": not a regular file (a device, a FIFO or a socket); a checkpoint"
                    + " is a .safetensors file, or a run folder for its newest");
        }
        return fileOrDirectory;
    }

    /** The newest checkpoint in {@code directory}, by step. */
    public static Optional<Path> latest(Path directory) throws IOException {
        List<Path> all = list(directory);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The checkpoints in {@code directory}, oldest first; none when it is not a folder. */
    public static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(found::add);
        }
        found.sort((a, b) -> Long.compare(step(a), step(b)));
        return found;
    }

    /** The step in a checkpoint's file name, or -1 when the name is not a checkpoint's. */
    public static long step(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
