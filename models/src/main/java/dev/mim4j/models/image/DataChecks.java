package dev.mim4j.models.image;

import java.util.Locale;

/** The argument checks that the data classes share, so that the same mistake reads the same. */
public final class DataChecks {

    private DataChecks() {}

    /** Throws an {@link IllegalArgumentException} with the formatted sentence unless {@code condition} holds. */
    public static void check(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }

    /** Throws an {@link IllegalStateException} with the formatted sentence unless {@code condition} holds. */
    public static void checkState(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(Locale.ROOT, template, args));
        }
    }

    /** Returns {@code value} if it is at least 1: "batch size 0 must be at least 1". */
    public static int atLeastOne(String field, int value) {
        check(value >= 1, "%s %d must be at least 1", field, value);
        return value;
    }

    /** Returns {@code value} if it is not null: "transform must be given". */
    public static <T> T given(String field, T value) {
        check(value != null, "%s must be given", field);
        return value;
    }

    /** "1 channel", "3 channels", "2 classes": a count with its noun. */
    public static String count(long n, String noun) {
        String plural = noun.endsWith("s") ? noun + "es" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }
}
