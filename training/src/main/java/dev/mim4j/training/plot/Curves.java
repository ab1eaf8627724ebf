package dev.mim4j.training.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.mim4j.dsl.Mim4jException;
import dev.mim4j.models.AtomicFiles;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a run's curves as 800x500 PNG charts on a white background: the loss, the learning rate,
 * accuracy per epoch and sweeps. Each file is written through a temporary file and a rename, so a
 * reader never sees half a picture.
 */
public final class Curves {

    static {
        // Charts need no display: without this, AWT on a server may look for one and fail. It is set
        // before the first colour below, which fixes AWT's mode; an application that chose a mode
        // itself (a desktop one, say) keeps it.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    /** Matplotlib's default colours, which readers of the papers' plots know. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final Color GRID = new Color(0xdddddd);
    private static final BasicStroke THIN = new BasicStroke(1f);
    private static final BasicStroke LINE = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    private Curves() {
    }

    /** The loss of every step as a thin line, and each epoch's mean loss as a marker at its last step. */
    public static void loss(MetricsFile metrics, Path png) throws IOException {
        check(!metrics.stepLoss().isEmpty(), "the metrics hold no step lines, so %s would have no loss to draw", png);
        Map<String, List<Point>> series = new LinkedHashMap<>();
        series.put("step loss", metrics.stepLoss());
        if (!metrics.epochLoss().isEmpty()) {
            series.put("epoch mean", metrics.epochLoss());
        }
        JFreeChart chart = chart("Training loss", "step", "loss", series, series.size() > 1);
        XYLineAndShapeRenderer renderer = renderer(chart);
        renderer.setSeriesStroke(0, THIN);
        renderer.setSeriesShapesVisible(0, false);
        write(chart, png);
    }

    /** The learning rate of every step. */
    public static void learningRate(MetricsFile metrics, Path png) throws IOException {
        check(!metrics.stepLearningRate().isEmpty(),
                "the metrics hold no step lines, so %s would have no learning rate to draw", png);
        JFreeChart chart = chart("Learning rate", "step", "learning rate",
                Map.of("learning rate", metrics.stepLearningRate()), false);
        renderer(chart).setSeriesShapesVisible(0, false);
        NumberAxis rates = (NumberAxis) chart.getXYPlot().getRangeAxis();
        rates.setNumberFormatOverride(new DecimalFormat("0.##E0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        write(chart, png);
    }

    /**
     * Accuracy curves against a whole-number {@code x} such as the epoch, one per named series (e.g.
     * the linear probe's and kNN's top-1), with a marker at each point.
     */
    public static void accuracy(Map<String, List<Point>> series, String title, String xLabel, Path png)
            throws IOException {
        JFreeChart chart = chart(title, xLabel, "accuracy", series, true);
        ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        write(chart, png);
    }

    /**
     * Named series of points joined by lines, with a marker at each point: a sweep, such as
     * accuracy against mask ratio. Points are drawn in the order of their {@code x}.
     */
    public static void xy(String title, String xLabel, String yLabel, Map<String, List<Point>> series, Path png)
            throws IOException {
        write(chart(title, xLabel, yLabel, series, true), png);
    }

    /** A line chart with markers, in this class's style. */
    private static JFreeChart chart(String title, String xLabel, String yLabel, Map<String, List<Point>> series,
            boolean legend) {
        check(series.values().stream().anyMatch(points -> !points.isEmpty()),
                "the chart \"%s\" has no points to draw; give at least one series with a point", title);
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries curve = new XYSeries(name, true, true);
            points.forEach(p -> curve.add(p.x(), p.y(), false));
            data.addSeries(curve);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                legend, false, false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, LINE);
        }
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(renderer);
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        Font title = new Font(Font.SANS_SERIF, Font.BOLD, 18);
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(title);
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(Color.GRAY);
        for (NumberAxis axis : List.of((NumberAxis) plot.getDomainAxis(), (NumberAxis) plot.getRangeAxis())) {
            axis.setLabelFont(label);
            axis.setTickLabelFont(tick);
            axis.setAutoRangeIncludesZero(false);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(tick);
            legend.setBackgroundPaint(Color.WHITE);
            legend.setFrame(BlockBorder.NONE);
        }
    }

    private static XYLineAndShapeRenderer renderer(JFreeChart chart) {
        return (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    }

    private static void write(JFreeChart chart, Path png) throws IOException {
        Objects.requireNonNull(png, "png path must be given");
        AtomicFiles.write(png, temporary -> ChartUtils.saveChartAsPNG(temporary.toFile(), chart, WIDTH, HEIGHT));
    }

    private static void check(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new Mim4jException("metrics", String.format(Locale.ROOT, template, args));
        }
    }
}
