package dev.mim4j.samples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import dev.mim4j.training.RunSummary;
import dev.mim4j.training.StepMetrics;
import dev.mim4j.training.TrainingListener;

/**
 * Shows a run's progress: on a terminal, one bar redrawn in place (progress, ETA, images/s, loss,
 * learning rate); otherwise, as in CI or a log file, a plain line every few seconds.
 */
final class ProgressReporter implements TrainingListener {

    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private long totalSteps;
    private long started;
    private long firstStep = -1;
    private long lastLine;
    private double smoothedImagesPerSecond;

    ProgressReporter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onStart(String description, long totalSteps) {
        this.totalSteps = totalSteps;
        this.started = System.nanoTime();
        out.println(description);
    }

    @Override
    public void onStep(StepMetrics m) {
        long now = System.nanoTime();
        if (firstStep < 0) {
            firstStep = m.step() - 1;
        }
        smoothedImagesPerSecond = smoothedImagesPerSecond == 0 ? m.imagesPerSecond()
                : 0.9 * smoothedImagesPerSecond + 0.1 * m.imagesPerSecond();
        double elapsed = (now - started) / 1e9;
        long done = m.step() - firstStep;
        double eta = done == 0 ? 0 : elapsed / done * (totalSteps - m.step());
        String stats = String.format(Locale.ROOT, "step %d/%d  epoch %d  loss %.4f  lr %.2e  %.0f img/s  ETA %s",
                m.step(), totalSteps, m.epoch() + 1, m.loss(), m.learningRate(), smoothedImagesPerSecond,
                duration(eta));
        if (terminal) {
            int filled = (int) (BAR_WIDTH * m.step() / Math.max(1, totalSteps));
            out.print("\r[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + stats + "  ");
            out.flush();
        } else if (now - lastLine >= LOG_INTERVAL_NANOS || m.step() == totalSteps) {
            lastLine = now;
            out.println(stats);
        }
    }

    @Override
    public void onEpochEnd(int epoch, double meanLoss) {
        endBar();
        out.println(String.format(Locale.ROOT, "epoch %d: mean loss %.4f", epoch + 1, meanLoss));
    }

    @Override
    public void onEvaluation(int epoch, String metric, double value) {
        endBar();
        out.println(String.format(Locale.ROOT, "epoch %d: %s %.4f", epoch + 1, metric, value));
    }

    @Override
    public void onCheckpoint(Path checkpoint) {
        endBar();
        out.println("checkpoint " + checkpoint);
    }

    @Override
    public void onPicture(Path picture) {
        endBar();
        out.println("reconstructions " + picture);
    }

    @Override
    public void onFinish(RunSummary s) {
        endBar();
        out.println(String.format(Locale.ROOT, "done: %d steps in %s, %.1f img/s, loss %.4f -> %.4f%s%s", s.steps(),
                duration(s.seconds()), s.imagesPerSecond(), s.firstEpochLoss(), s.lastEpochLoss(),
                s.skippedSteps() > 0 ? ", " + s.skippedSteps() + " steps skipped (non-finite loss)" : "",
                s.skippedImages() > 0 ? ", " + s.skippedImages() + " unreadable images skipped" : ""));
    }

    private void endBar() {
        if (terminal) {
            out.print("\r" + " ".repeat(BAR_WIDTH + 100) + "\r");
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
