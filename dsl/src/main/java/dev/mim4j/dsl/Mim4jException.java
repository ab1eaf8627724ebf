package dev.mim4j.dsl;

import java.util.Objects;

/**
 * A caller's mistake that mim4j refuses: the one family of unchecked exceptions for bad input, in every
 * module. The message is one sentence that names the value and what would be accepted, in the library's
 * words (never a command-line flag); {@link #subject()} says what the input was, as data, so that a tool can
 * put the mistake in its own words (the command-line tool adds the flag that sets that subject).
 *
 * <p>The policy: a bad argument or spec is a {@code Mim4jException} ({@link SpecException} for a spec, and the
 * weights' {@code IncompatibleWeightsException}); a missing argument is a {@link NullPointerException} naming
 * the argument ({@code Objects.requireNonNull(x, "x")}); a file that cannot be read or written, or does not hold
 * what it should, is an {@link java.io.IOException} naming the file.
 */
public class Mim4jException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The subject of a mistake about a run's output folder. */
    public static final String OUTPUT = "output";

    private final String subject;

    /** A mistake about {@code subject} (a field, a key, a path), told by {@code message}. */
    public Mim4jException(String subject, String message) {
        super(message);
        this.subject = Objects.requireNonNull(subject, "subject");
    }

    /** As {@link #Mim4jException(String, String)}, with the cause. */
    public Mim4jException(String subject, String message, Throwable cause) {
        super(message, cause);
        this.subject = Objects.requireNonNull(subject, "subject");
    }

    /** What the input was: a spec field ("image height"), a metadata key, a path, or a setting ("output"). */
    public String subject() {
        return subject;
    }
}
