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

    /**
     * The message of {@code failure}, with the flag that would mend it where there is one, safe to print: a
     * message may quote text read from a file (a checkpoint's metadata, a path), whose control characters would
     * otherwise reach the terminal.
     */
    static String of(Throwable failure) {
        return printable(wording(failure));
    }

    private static String wording(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof Mim4jException mistake && FLAGS.containsKey(mistake.subject())) {
            return message + " (" + FLAGS.get(mistake.subject()) + ")";
        }
        if (failure instanceof NonFiniteLossException) {
            return message + " With this tool: --on-nan skip drops such steps, --nan-patience N allows N in a row.";
        }
        return message;
    }

    /** {@code text} with every control character but the line break written as its escape, <code>&#92;u001b</code>. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c != '\n' && (Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
