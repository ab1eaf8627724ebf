package dev.mim4j.models;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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

    /**
     * Resident bytes outside the JVM's own heaps, after a collection: the process's resident bytes
     * minus what the JVM has committed for heap and non-heap. libtorch's tensors are in this part;
     * the Java heap, which grows and shrinks with unrelated work, is not. For leak tests.
     */
    public static long outsideJvmHeaps() {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return bytes() - memory.getHeapMemoryUsage().getCommitted() - memory.getNonHeapMemoryUsage().getCommitted();
    }
}
