package dev.tapeless.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The main example's training curve as a PNG: the loss per epoch (left axis) and the held-out accuracy (right). */
public final class TrainingCurve {
    private TrainingCurve() {}

    public static final int WIDTH = 800;
    public static final int HEIGHT = 450;

    /** Draws {@code epochs} into {@code file} (its folder is made when missing); returns the file. */
    public static Path write(List<Main.Epoch> epochs, Path file) {
        System.setProperty("java.awt.headless", "true");
        XYSeries loss = new XYSeries("training loss (mean over the epoch's minibatches)");
        XYSeries accuracy = new XYSeries("held-out accuracy, %");
        for (Main.Epoch e : epochs) {
            loss.add(e.epoch(), e.loss());
            accuracy.add(e.epoch(), 100 * e.heldOutAccuracy());
        }
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis lossAxis = new NumberAxis("loss");
        NumberAxis accuracyAxis = new NumberAxis("held-out accuracy (%)");
        accuracyAxis.setAutoRangeIncludesZero(false);

        XYPlot plot = new XYPlot(new XYSeriesCollection(loss), epochAxis, lossAxis, line(new Color(0x1f77b4)));
        plot.setRangeAxis(1, accuracyAxis);
        plot.setDataset(1, new XYSeriesCollection(accuracy));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, line(new Color(0xd62728)));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);

        JFreeChart chart = new JFreeChart("Tapeless: the digits perceptron, trained with generated gradients",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the training curve to " + file, e);
        }
        return file;
    }

    private static XYLineAndShapeRenderer line(Color color) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, color);
        r.setSeriesStroke(0, new BasicStroke(2f));
        return r;
    }
}
