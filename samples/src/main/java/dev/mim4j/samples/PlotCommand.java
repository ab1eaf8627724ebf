package dev.mim4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.mim4j.training.plot.Curves;
import dev.mim4j.training.plot.MetricsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Draws a run's curves from its metrics file. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draws loss.png, learning-rate.png and, when the run evaluated, accuracy.png from a run"
                + " folder's metrics.jsonl (or a given metrics file) into the same folder.")
final class PlotCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A run folder or a metrics.jsonl file.")
    Path run;

    @Option(names = "--force", description = "Draw the pictures over those of an earlier plot (never over a folder,"
            + " a link or a device).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Path metrics = Files.isDirectory(run) ? run.resolve("metrics.jsonl") : run;
        if (!Files.isRegularFile(metrics)) {
            throw new IOException(metrics + ": no metrics file to plot");
        }
        Path folder = metrics.toAbsolutePath().getParent();
        MetricsFile file = MetricsFile.read(metrics);
        List<String> pictures = file.evals().isEmpty() ? List.of("loss.png", "learning-rate.png")
                : List.of("loss.png", "learning-rate.png", "accuracy.png");
        for (String picture : pictures) {
            Path png = folder.resolve(picture);
            if (!force && Files.exists(png, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(png + " exists already (from an earlier plot); --force draws it"
                        + " again");
            }
            OutputFileOptions.check(png.toString(), png, true, metrics);
        }
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
