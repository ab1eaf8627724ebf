package dev.mim4j.samples;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code mim4j launch --nproc N <command> ...}: a data-parallel run on this machine, as {@code torchrun} starts
 * one. It starts N JVMs of the tool, each with torchrun's variables (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR,
 * MASTER_PORT) and its share of the cores, and waits for them. SIGTERM or SIGINT to it reaches every process as
 * SIGTERM (each finishes the step under way, rank 0 saves it); a second one kills them. If a process fails, the
 * others are asked to stop, and the launcher exits with the first failure's status.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = "Runs a training command (pretrain, finetune) as a data-parallel run of --nproc processes on"
                + " this machine, the cores split between them: each reads its own shard of every epoch, the"
                + " gradients are averaged before each update (global batch = --nproc x --batch x --accum, and the"
                + " learning rate follows it), and the first process writes checkpoints, metrics and pictures."
                + " SIGTERM or Ctrl-C stops every process after the step under way, saved; if one dies, the others"
                + " stop within --world-timeout. Example: mim4j launch --nproc 2 pretrain --epochs 10")
final class LaunchCommand implements Callable<Integer> {

    /** The commands that train in a data-parallel world; the others would only run N times over. */
    private static final Set<String> DISTRIBUTED = Set.of("pretrain", "finetune");
    /** How long the processes may take to stop after a failure of one of them before they are killed. */
    private static final long STOP_GRACE_SECONDS = 120;

    @Option(names = "--nproc", required = true, description = "Processes to start, each with the cores divided"
            + " by this (at least 1 each).")
    int processes;

    @Option(names = "--master-port", description = "The port rank 0 serves the rendezvous on, on 127.0.0.1"
            + " (default: a free one).")
    Integer masterPort;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The training command and its flags.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        if (processes < 1) {
            throw new IllegalArgumentException("--nproc " + processes + " must be at least 1");
        }
        if (!DISTRIBUTED.contains(command.get(0))) {
            throw new IllegalArgumentException("launch runs " + String.join(" or ", DISTRIBUTED.stream().sorted()
                    .toList()) + " in parallel, not '" + command.get(0) + "'");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int coresEach = Math.max(1, cores / processes);
        if (processes > cores) {
            System.err.println("launch: " + processes + " processes on " + cores + " cores share them; each is"
                    + " given 1");
        }
        if (masterPort != null && (masterPort < 1 || masterPort > 65535)) {
            throw new IllegalArgumentException("--master-port " + masterPort + " must be a port from 1 to 65535");
        }
        int port = masterPort != null ? masterPort : freePort();
        List<Process> ranks = new ArrayList<>();
        Stopper stopper = new Stopper(ranks);
        stopper.install();
        try {
            for (int rank = 0; rank < processes; rank++) {
                ranks.add(start(rank, port, coresEach));
            }
            return waitFor(ranks, stopper);
        } finally {
            for (Process rank : ranks) {
                rank.destroyForcibly();
            }
            stopper.uninstall();
        }
    }

    private Process start(int rank, int port, int coresEach) throws IOException {
        List<String> line = new ArrayList<>();
        line.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // each process gets the launcher's options (its heap, say), but not its debugger port or core count
            if (!option.startsWith("-XX:ActiveProcessorCount=") && !option.startsWith("-agentlib:jdwp")) {
                line.add(option);
            }
        }
        line.add("-XX:ActiveProcessorCount=" + coresEach); // what the process's threads are sized by
        line.addAll(List.of("-cp", System.getProperty("java.class.path"), Mim4j.class.getName()));
        List<Path> parts = ExtraParts.loaded();
        if (!parts.isEmpty()) {
            line.addAll(List.of(ExtraParts.FLAG, parts.stream().map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator))));
        }
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).inheritIO();
        Map<String, String> environment = builder.environment();
        environment.put("RANK", String.valueOf(rank));
        environment.put("LOCAL_RANK", String.valueOf(rank));
        environment.put("WORLD_SIZE", String.valueOf(processes));
        environment.put("MASTER_ADDR", "127.0.0.1");
        environment.put("MASTER_PORT", String.valueOf(port));
        // OpenBLAS (float32 products) and OpenMP size their own threads from these, not from the JVM
        environment.put("OPENBLAS_NUM_THREADS", String.valueOf(coresEach));
        environment.put("OMP_NUM_THREADS", String.valueOf(coresEach));
        environment.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        // on CUDA, so that a collective NCCL runs is bounded by --world-timeout as Gloo's are
        environment.putIfAbsent("TORCH_NCCL_BLOCKING_WAIT", "1");
        return builder.start();
    }

    /**
     * Waits until every process has ended; once one fails, asks the others to stop and kills them after a grace
     * period. The status of the first to fail, else 0.
     */
    private static int waitFor(List<Process> ranks, Stopper stopper) throws InterruptedException {
        Integer failure = null;
        long killAt = Long.MAX_VALUE;
        while (ranks.stream().anyMatch(Process::isAlive)) {
            for (Process rank : ranks) {
                if (!rank.isAlive() && rank.exitValue() != 0 && failure == null) {
                    failure = rank.exitValue();
                    stopper.stopAll();
                    killAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
                }
            }
            if (System.nanoTime() > killAt) {
                ranks.forEach(Process::destroyForcibly);
            }
            ranks.get(0).waitFor(200, TimeUnit.MILLISECONDS);
        }
        if (failure != null) {
            return failure;
        }
        for (Process rank : ranks) {
            if (rank.exitValue() != 0) {
                return rank.exitValue();
            }
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM and SIGINT to the launcher: the first asks every process to stop gracefully, a second kills them. */
    private static final class Stopper {
        private final List<Process> ranks;
        private final List<Signal> handled = new ArrayList<>();
        private final List<sun.misc.SignalHandler> previous = new ArrayList<>();
        private boolean asked;

        Stopper(List<Process> ranks) {
            this.ranks = ranks;
        }

        void install() {
            for (String name : List.of("TERM", "INT")) {
                Signal signal = new Signal(name);
                try {
                    previous.add(Signal.handle(signal, this::received));
                    handled.add(signal);
                } catch (IllegalArgumentException ignoredAtStart) {
                    // a launcher started with the signal ignored keeps it ignored
                }
            }
        }

        void uninstall() {
            for (int i = 0; i < handled.size(); i++) {
                Signal.handle(handled.get(i), previous.get(i));
            }
        }

        /** SIGTERM to every process still running. */
        synchronized void stopAll() {
            asked = true;
            ranks.stream().filter(Process::isAlive).forEach(Process::destroy);
        }

        private synchronized void received(Signal signal) {
            if (!asked) {
                System.err.println("launch: SIG" + signal.getName() + ": every process finishes the step under way"
                        + " and rank 0 saves it; send it again to kill them");
                stopAll();
                return;
            }
            System.err.println("launch: SIG" + signal.getName() + " again: killing every process");
            ranks.forEach(Process::destroyForcibly);
        }
    }
}
