package dev.mim4j.models;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import dev.mim4j.dsl.Mim4jException;

/**
 * The memory of this machine (or of its container, where the JVM sees that limit), and the check that a model's
 * weights fit in it before a model is built: a spec whose model could never be held is refused with the numbers,
 * not left to fail inside libtorch's allocator.
 */
public final class MachineMemory {

    private MachineMemory() {
    }

    /** The machine's memory in bytes; {@link Long#MAX_VALUE} when the JVM cannot tell. */
    public static long bytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            return total > 0 ? total : Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    /**
     * Refuses a model of at least {@code parameters} parameters ({@link dev.mim4j.dsl.ParameterFloor}) whose float
     * weights alone would not fit in this machine's memory.
     *
     * @throws IllegalArgumentException naming {@code model} and the numbers
     */
    public static void checkWeightsFit(long parameters, String model) {
        long memory = bytes();
        if (parameters > memory / Float.BYTES) {
            throw new Mim4jException("model size", String.format(Locale.ROOT, "%s has at least %,d parameters, whose"
                    + " weights alone need more than this machine's %,d MiB of memory", model, parameters, memory >> 20));
        }
    }
}
