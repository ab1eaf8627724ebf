package dev.mim4j.samples;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The library's warnings (a skipped image, a damaged checkpoint passed over) as the tool prints them: one line on
 * standard error, {@code warning: ...}, with every control character escaped, line breaks too, since a warning
 * quotes file names and metadata that anyone could have written.
 */
final class ToolLogging {

    private ToolLogging() {
    }

    /** Replaces the root logger's handlers with one that writes such lines. */
    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new OneLine());
        root.addHandler(console);
    }

    /** {@code warning: message}, escaped. */
    static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            String message = formatMessage(record);
            if (record.getThrown() != null) {
                message += " (" + record.getThrown() + ")";
            }
            return record.getLevel().getName().toLowerCase(Locale.ROOT) + ": "
                    + ToolWording.printable(message).replace("\n", "\\n") + System.lineSeparator();
        }
    }
}
