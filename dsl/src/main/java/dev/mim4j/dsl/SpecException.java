package dev.mim4j.dsl;

/**
 * A spec that cannot be built, explained in one sentence that names the field and the numbers,
 * so that no libtorch error is ever the first thing a user sees for a mistake in a spec.
 */
public class SpecException extends IllegalArgumentException {

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
