package dev.mim4j.samples;

import java.util.Map;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.training.NonFiniteLossException;

/**
 * The library's sentence for a mistake, in the tool's words: the library names what a setting is, the tool
 * adds the flag that sets it.
 */
final class ToolWording {

    /** The flag of each subject the library names. */
    private static final Map<String, String> FLAGS = Map.of(
            Mim4jException.OUTPUT, "--output",
            "non-finite patience", "--nan-patience",
            "device", "--device");

    private ToolWording() {
    }

    /** The message of {@code failure}, with the flag that would mend it where there is one. */
    static String of(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof Mim4jException mistake && FLAGS.containsKey(mistake.subject())) {
            return message + " (" + FLAGS.get(mistake.subject()) + ")";
        }
        if (failure instanceof NonFiniteLossException) {
            return message + " With this tool: --on-nan skip drops such steps, --nan-patience N allows N in a row.";
        }
        return message;
    }
}
