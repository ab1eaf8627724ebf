package dev.mim4j.samples;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.mim4j.training.RunStoppedException;
import dev.mim4j.training.StopRequest;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT during a training command: the first asks the run to stop gracefully
 * ({@link StopRequest}: the step under way is finished and saved, the folder released), and the command then
 * exits 143 or 130 as a process killed by the signal would, with a sentence that says how to resume; a second
 * (more than 2 s later: a process of {@code mim4j launch} may get one from the launcher and one from the terminal
 * together) stops at once, leaving the last checkpoint written as it was. What schedulers expect: SLURM's
 * {@code --signal=TERM@120} and Kubernetes' {@code terminationGracePeriodSeconds} give the run that time.
 */
final class StopSignals implements AutoCloseable {

    /** The signals handled, with the exit status of a process they end: 128 and the signal's number. */
    private static final Map<String, Integer> EXIT_STATUS = Map.of("TERM", 143, "INT", 130);

    /** A second signal within this of the first is the same request, not a "stop at once". */
    private static final long SAME_STOP_NANOS = 2_000_000_000L;

    private final StopRequest request = new StopRequest();
    private static final long NOT_YET = Long.MIN_VALUE;
    private final AtomicLong firstReceived = new AtomicLong(NOT_YET);
    private final PrintStream err;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignals(PrintStream err) {
        this.err = err;
    }

    /** Handles SIGTERM and SIGINT until closed, when the handlers before are put back. */
    static StopSignals install(PrintStream err) {
        StopSignals signals = new StopSignals(err);
        for (String name : EXIT_STATUS.keySet()) {
            Signal signal = new Signal(name);
            try {
                signals.previous.put(signal, Signal.handle(signal, signals::received));
            } catch (IllegalArgumentException ignoredAtStart) {
                // a process started with the signal ignored (nohup, a script's background job) keeps it ignored
            }
        }
        return signals;
    }

    /** What the run is told to watch. */
    StopRequest request() {
        return request;
    }

    /** The exit status of a command whose run {@code stopped}: that of a process ended by its signal. */
    static int exitStatus(RunStoppedException stopped) {
        return EXIT_STATUS.getOrDefault(stopped.reason().replaceFirst("^SIG", ""), 1);
    }

    private void received(Signal signal) {
        int status = EXIT_STATUS.get(signal.getName());
        long now = System.nanoTime();
        firstReceived.compareAndSet(NOT_YET, now); // before the request: each signal comes on a thread of its own
        if (request.request("SIG" + signal.getName())) {
            err.println("SIG" + signal.getName() + ": finishing the step under way and saving it; send it again to"
                    + " stop at once");
            return;
        }
        if (now - firstReceived.get() < SAME_STOP_NANOS) {
            return; // one stop told twice: by "mim4j launch" and by the terminal or scheduler that signalled both
        }
        err.println("SIG" + signal.getName() + " again: stopping at once; the last checkpoint written is kept");
        err.flush();
        Runtime.getRuntime().halt(status);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
