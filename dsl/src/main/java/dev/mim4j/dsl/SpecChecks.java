package dev.mim4j.dsl;

import java.util.Locale;

/**
 * The validation sentences that specs share, so that the same mistake reads the same in every
 * spec and every failure is a {@link SpecException}.
 */
public final class SpecChecks {

    private SpecChecks() {}

    /** Throws a {@link SpecException} with the formatted sentence unless {@code condition} holds. */
    public static void check(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new SpecException(String.format(Locale.ROOT, template, args));
        }
    }

    /** Returns {@code value} if it is at least 1: "depth 0 must be at least 1". */
    public static int atLeastOne(String field, int value) {
        check(value >= 1, "%s %d must be at least 1", field, value);
        return value;
    }

    /** Returns {@code value} if it is finite and above zero: "mlp ratio -1.0 must be positive". */
    public static double positive(String field, double value) {
        check(Double.isFinite(value), "%s %s must be a finite number", field, value);
        check(value > 0, "%s %s must be positive", field, value);
        return value;
    }

    /** Returns {@code value} if it is finite and not negative, for options where zero means off. */
    public static double zeroOrPositive(String field, double value) {
        check(Double.isFinite(value), "%s %s must be a finite number", field, value);
        check(value >= 0, "%s %s must be zero or positive", field, value);
        return value;
    }

    /** Returns {@code value} if it is a probability below one: "drop path 1.5 must be in [0, 1)". */
    public static double fraction(String field, double value) {
        check(value >= 0 && value < 1, "%s %s must be in [0, 1)", field, value);
        return value;
    }

    /**
     * Returns {@code value} if it is strictly between zero and one, as a ratio that must leave
     * something on both sides: "mask ratio 1.0 must be in (0, 1)".
     */
    public static double openFraction(String field, double value) {
        check(value > 0 && value < 1, "%s %s must be in (0, 1)", field, value);
        return value;
    }

    /**
     * Returns {@code value} if {@code divisor} divides it: "image height 225 is not a multiple of
     * patch size 16".
     */
    public static int multipleOf(String field, int value, String divisorField, int divisor) {
        check(value % divisor == 0,
                "%s %d is not a multiple of %s %d", field, value, divisorField, divisor);
        return value;
    }

    /** Returns {@code value} if it is not null: "qkv bias must be given". */
    public static <T> T given(String field, T value) {
        check(value != null, "%s must be given", field);
        return value;
    }
}
