package dev.mim4j.models.image;

import java.util.Locale;

import dev.mim4j.dsl.Mim4jException;

/** The argument checks that the data classes share, so that the same mistake reads the same. */
public final class DataChecks {

    private DataChecks() {}

    /** Throws a {@link Mim4jException} about the image data, with the formatted sentence, unless {@code condition}. */
    public static void check(boolean condition, String template, Object... args) {
        check("image data", condition, template, args);
    }

    /** Throws a {@link Mim4jException} about {@code subject}, with the formatted sentence, unless {@code condition}. */
    public static void check(String subject, boolean condition, String template, Object... args) {
        if (!condition) {
            throw new Mim4jException(subject, String.format(Locale.ROOT, template, args));
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
        check(field, value >= 1, "%s %d must be at least 1", field, value);
        return value;
    }

    /** Returns {@code value} if it is not null: "transform must be given". */
    public static <T> T given(String field, T value) {
        check(field, value != null, "%s must be given", field);
        return value;
    }

    /** "1 channel", "3 channels", "2 classes": a count with its noun. */
    public static String count(long n, String noun) {
        String plural = noun.endsWith("s") ? noun + "es" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }
}
