package dev.mim4j.models.weights;

import java.io.IOException;
import java.nio.file.Path;

/** Thrown when a file is not a well-formed safetensors file; the message begins with the file's path. */
public final class SafetensorsFormatException extends IOException {

    private final transient Path file;

    /** A failure in {@code file}, described by {@code detail}. */
    public SafetensorsFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
    }

    /** A failure in {@code file}, described by {@code detail} and caused by {@code cause}. */
    public SafetensorsFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    /** The file that failed to parse. */
    public Path file() {
        return file;
    }
}
