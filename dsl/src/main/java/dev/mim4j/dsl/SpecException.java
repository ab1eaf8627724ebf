package dev.mim4j.dsl;

/**
 * A spec that cannot be built, explained in one sentence that names the field and the numbers,
 * so that no libtorch error is ever the first thing a user sees for a mistake in a spec.
 */
public class SpecException extends Mim4jException {

    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super("spec", message);
    }

    public SpecException(String message, Throwable cause) {
        super("spec", message, cause);
    }
}
