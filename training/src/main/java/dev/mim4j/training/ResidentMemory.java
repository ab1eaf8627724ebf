package dev.mim4j.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, which includes libtorch's tensors (the JVM's heap figures do not). */
public final class ResidentMemory {

    private static final Path STATM = Path.of("/proc/self/statm");

    private ResidentMemory() {
    }

    /** Resident bytes, or -1 where {@code /proc} is not available (macOS, Windows). */
    public static long bytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * 4096L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
