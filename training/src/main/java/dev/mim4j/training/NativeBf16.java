package dev.mim4j.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether this CPU multiplies bf16 natively (AVX512_BF16 or AMX on x86, the BF16 extension on ARM): without it
 * libtorch emulates bf16 products and a bf16 step is slower than a float32 one. The flags are read from
 * /proc/cpuinfo, or from the file that the system property {@code mim4j.cpuinfo} names (a machine whose
 * container hides them, and the tests).
 */
public final class NativeBf16 {

    /** The CPU flags that mean bf16 products in hardware, as Linux's /proc/cpuinfo names them. */
    private static final Set<String> FLAGS = Set.of("avx512_bf16", "amx_bf16", "bf16");
    private static final Pattern SEPARATORS = Pattern.compile("\\s+");

    private NativeBf16() {
    }

    /**
     * True when this CPU's flags can be read and name no bf16 instructions. Where they cannot be read (not
     * Linux), false: nothing is known against bf16.
     */
    public static boolean isMissing() {
        return isMissing(Path.of(System.getProperty("mim4j.cpuinfo", "/proc/cpuinfo")));
    }

    static boolean isMissing(Path cpuinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return false;
        }
        boolean sawFlags = false;
        for (String line : lines) {
            String key = line.split(":", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (line.contains(":") && (key.equals("flags") || key.equals("features"))) {
                sawFlags = true;
                for (String flag : SEPARATORS.split(line.split(":", 2)[1].strip())) {
                    if (FLAGS.contains(flag)) {
                        return false;
                    }
                }
            }
        }
        return sawFlags;
    }

    /** The sentence a run says when it was asked for bf16 on a CPU without it. */
    public static String sentence(String what) {
        return "this CPU has no native bf16 (none of the flags avx512_bf16, amx_bf16, bf16), where bf16 is slower than"
                + " float32: " + what;
    }
}
