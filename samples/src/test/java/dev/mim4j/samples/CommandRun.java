package dev.mim4j.samples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import com.google.common.collect.ObjectArrays;
import picocli.CommandLine;

/**
 * One invocation of the command-line tool in this JVM, as a user sees it: the exit code, what went
 * to standard output (picocli's and the commands' own prints) and picocli's error output. Progress
 * lines, which commands write to System.err, are dropped.
 */
record CommandRun(int code, String out, String err) {

    /** The arguments of {@code first} then those of {@code second}: a command, then shared data options. */
    static String[] concat(String[] first, String[] second) {
        return ObjectArrays.concat(first, second, String.class);
    }

    static CommandRun run(String... args) {
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(OutputStream.nullOutputStream()));
            CommandLine line = Mim4j.commandLine();
            line.setOut(new PrintWriter(out));
            line.setErr(new PrintWriter(err));
            int code = line.execute(args);
            return new CommandRun(code, out + captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
    }
}
