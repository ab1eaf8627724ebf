package dev.mim4j.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /**
     * One invocation in a new JVM on this JVM's class path, as {@code ./mim4j} runs it: nothing registered by
     * hand, every part and preset found by the providers on the class path. Its output and error output
     * together are {@link #out()}.
     */
    static CommandRun inNewJvm(String... args) throws IOException, InterruptedException {
        return inNewJvm(List.of(), args);
    }

    /** As {@link #inNewJvm(String...)}, the JVM started with {@code jvmOptions} ({@code -Xmx64m}, say). */
    static CommandRun inNewJvm(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile("mim4j-run", ".log");
        try {
            Process process = startInNewJvm(jvmOptions, log, args);
            boolean ended = process.waitFor(300, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!ended) {
                throw new IllegalStateException("mim4j " + String.join(" ", args) + " did not end in 300 s: " + output);
            }
            return new CommandRun(process.exitValue(), output, "");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Starts the tool in a new JVM, as {@link #inNewJvm(List, String...)} runs it, with its output and error
     * output going to {@code log}; for a test that acts on the process while it runs (signals it, say).
     */
    static Process startInNewJvm(List<String> jvmOptions, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Mim4j.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return builder.start();
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
