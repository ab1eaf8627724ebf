package dev.mim4j.samples;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.mim4j.models.Versions;
import dev.mim4j.models.compile.Parts;
import dev.mim4j.training.NonFiniteLossException;
import dev.mim4j.training.distributed.WorldException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The mim4j command-line tool: pre-training, model summaries and the step benchmark. */
@Command(name = "mim4j", mixinStandardHelpOptions = true, versionProvider = Mim4j.BuiltVersions.class,
        description = "Masked image modelling (MAE, SimMIM) on the JVM.",
        subcommands = {PretrainCommand.class, SummaryCommand.class, BenchCommand.class, LoaderBenchCommand.class,
            MatmulBenchCommand.class,
            ReconstructCommand.class, AvgDistCommand.class, PlotCommand.class, KnnCommand.class, LaunchCommand.class,
            LinearProbeCommand.class, FeaturesCommand.class, FineTuneCommand.class, SweepCommand.class})
public final class Mim4j implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** {@code --version}: mim4j's and libtorch's versions as built. */
    static final class BuiltVersions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Versions.describe()};
        }
    }

    @CommandLine.Option(names = ExtraParts.FLAG, paramLabel = "JAR[:JAR...]", description = "Jars or class"
            + " folders of one's own, whose part and preset providers every command then finds (also after the"
            + " command's name; ./mim4j also takes them from $MIM4J_PARTS).")
    private String parts;

    public static void main(String[] args) {
        ToolLogging.install();
        String[] rest;
        try {
            rest = ExtraParts.load(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("mim4j: " + ToolWording.printable(e.getMessage()));
            System.exit(2);
            return;
        }
        int code;
        try {
            code = commandLine().execute(rest);
        } catch (OutOfMemoryError e) {
            System.err.println("mim4j: the Java heap ran out (" + e.getMessage() + "); give the JVM more memory"
                    + " (MIM4J_JAVA_OPTS=-Xmx4g with ./mim4j, -Xmx4g with java), or a smaller --batch");
            code = 2;
        }
        System.exit(code);
    }

    /** The configured command line, also for tests. */
    public static CommandLine commandLine() {
        Parts.discover(); // parts of one's own on the class path ($MIM4J_PARTS with ./mim4j), for --spec files too
        CommandLine line = new CommandLine(new Mim4j());
        // launch --nproc 2 pretrain --epochs 3: what follows the command's name is that command's
        line.getSubcommands().get("launch").setStopAtPositional(true);
        // A user's mistake is reported as one sentence, not as a stack trace.
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof IllegalArgumentException || cause instanceof IOException
                    || cause instanceof NonFiniteLossException) {
                cmd.getErr().println("mim4j " + cmd.getCommandName() + ": " + ToolWording.of(cause));
                return 2;
            }
            if (cause instanceof WorldException) {
                // another process of a data-parallel run died or hangs: a sentence naming this rank and the step
                cmd.getErr().println("mim4j " + cmd.getCommandName() + ": " + ToolWording.printable(cause.getMessage()));
                return 1;
            }
            throw e;
        });
        return line;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
