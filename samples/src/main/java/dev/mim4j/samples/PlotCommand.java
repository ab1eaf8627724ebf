package dev.mim4j.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.mim4j.training.plot.Curves;
import dev.mim4j.training.plot.MetricsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Draws a run's curves from its metrics file. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draws loss.png, learning-rate.png and, when the run evaluated, accuracy.png from a run"
                + " folder's metrics.jsonl (or a given metrics file) into the same folder.")
final class PlotCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A run folder or a metrics.jsonl file.")
    Path run;

    @Override
    public Integer call() throws Exception {
        Path metrics = Files.isDirectory(run) ? run.resolve("metrics.jsonl") : run;
        if (!Files.isRegularFile(metrics)) {
            throw new java.io.IOException(metrics + ": no metrics file to plot");
        }
        Path folder = metrics.toAbsolutePath().getParent();
        MetricsFile file = MetricsFile.read(metrics);
        Curves.loss(file, folder.resolve("loss.png"));
        System.out.println("wrote " + folder.resolve("loss.png"));
        Curves.learningRate(file, folder.resolve("learning-rate.png"));
        System.out.println("wrote " + folder.resolve("learning-rate.png"));
        if (!file.evals().isEmpty()) {
            Curves.accuracy(file.evals(), "Evaluation", "epoch", folder.resolve("accuracy.png"));
            System.out.println("wrote " + folder.resolve("accuracy.png"));
        }
        return 0;
    }
}
