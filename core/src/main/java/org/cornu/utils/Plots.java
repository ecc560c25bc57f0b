package org.cornu.utils;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.cornu.core.callbacks.History;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of training curves as the book draws them with matplotlib, rendered with XChart
 * without a display ({@code java.awt.headless=true} is set unless the application chose otherwise).
 * Files are written atomically: the image goes to a temporary file in the target's folder, then is
 * moved over the target, so a failed write leaves no partial file.
 */
public final class Plots {
    /** matplotlib's default figure size at 100 dpi. */
    public static final int DEFAULT_WIDTH = 640;
    /** matplotlib's default figure height at 100 dpi. */
    public static final int DEFAULT_HEIGHT = 480;

    /** matplotlib's "b" ({@code (0, 0, 1)}). */
    private static final Color BLUE = new Color(0, 0, 255);
    /** matplotlib's default colour cycle (tab10). */
    private static final Color[] CYCLE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Plots() {}

    /**
     * The book's "Training and validation {metric}" figure: {@code history.get(metric)} as blue dots
     * ("bo") and {@code history.get("val_" + metric)} as a blue line ("b", drawn when present) against
     * epochs 1..n; x label "Epochs", y label the metric name.
     *
     * @param h the history of a {@code fit}
     * @param metric the metric to plot, e.g. {@code "loss"} or {@code "mae"}
     * @param png the PNG file to write, {@value #DEFAULT_WIDTH} x {@value #DEFAULT_HEIGHT} pixels
     * @throws IOException if the file cannot be written
     */
    public static void saveHistory(History h, String metric, Path png) throws IOException {
        saveHistory(h, metric, png, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * {@link #saveHistory(History, String, Path)} at {@code width x height} pixels.
     *
     * @param h the history of a {@code fit}
     * @param metric the metric to plot
     * @param png the PNG file to write
     * @param width the width in pixels
     * @param height the height in pixels
     * @throws IOException if the file cannot be written
     */
    public static void saveHistory(History h, String metric, Path png, int width, int height) throws IOException {
        double[] train = Utils.toDoubles(h.get(metric));
        List<Double> valList = h.history().get("val_" + metric);
        double[] val = valList == null ? null : Utils.toDoubles(valList);
        String label = metric.isEmpty() ? metric : Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
        XYChart chart = chart("Training and validation " + metric, "Epochs", label, width, height);
        XYSeries t = chart.addSeries("Training " + metric, epochs(train.length), train);
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        t.setMarker(SeriesMarkers.CIRCLE);
        t.setMarkerColor(BLUE);
        if (val != null) {
            XYSeries v = chart.addSeries("Validation " + metric, epochs(val.length), val);
            v.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            v.setMarker(SeriesMarkers.NONE);
            v.setLineColor(BLUE);
            v.setLineStyle(new BasicStroke(1.5f));
        }
        finish(chart, val == null ? List.of(train) : List.of(train, val));
        write(chart, png);
    }

    /**
     * Several curves against 1..n (each its own n), one line per entry in the map's order, in
     * matplotlib's default colours: e.g. a smoothed validation MAE, or the validation losses of
     * several models.
     *
     * @param series legend label to curve
     * @param title the figure's title
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param png the PNG file to write, {@value #DEFAULT_WIDTH} x {@value #DEFAULT_HEIGHT} pixels
     * @throws IOException if the file cannot be written
     */
    public static void saveCurves(Map<String, double[]> series, String title, String xLabel, String yLabel, Path png)
            throws IOException {
        saveCurves(series, title, xLabel, yLabel, png, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * {@link #saveCurves(Map, String, String, String, Path)} at {@code width x height} pixels.
     *
     * @param series legend label to curve
     * @param title the figure's title
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param png the PNG file to write
     * @param width the width in pixels
     * @param height the height in pixels
     * @throws IOException if the file cannot be written
     */
    public static void saveCurves(Map<String, double[]> series, String title, String xLabel, String yLabel, Path png,
                                  int width, int height) throws IOException {
        if (series.isEmpty()) throw new IllegalArgumentException("Plots.saveCurves: no series to draw");
        XYChart chart = chart(title, xLabel, yLabel, width, height);
        int i = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            if (y.length == 0) throw new IllegalArgumentException("Plots.saveCurves: series '" + e.getKey() + "' is empty");
            XYSeries s = chart.addSeries(e.getKey(), epochs(y.length), y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(CYCLE[i++ % CYCLE.length]);
            s.setLineStyle(new BasicStroke(1.5f));
        }
        chart.getStyler().setLegendVisible(series.size() > 1);
        finish(chart, new java.util.ArrayList<>(series.values()));
        write(chart, png);
    }

    private static XYChart chart(String title, String xLabel, String yLabel, int width, int height) {
        headless();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Plots: width and height must be positive, got " + width + "x" + height);
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        org.knowm.xchart.style.XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendBorderColor(Color.LIGHT_GRAY);
        st.setPlotGridLinesVisible(false);
        st.setMarkerSize(6);
        return chart;
    }

    /**
     * Places the legend in the inside corner (or top/bottom middle) crossed by the fewest curve
     * points, as matplotlib's {@code loc="best"} does, and gives the y axis enough decimals.
     */
    private static void finish(XYChart chart, List<double[]> ys) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int maxN = 1;
        for (double[] y : ys) {
            maxN = Math.max(maxN, y.length);
            for (double v : y) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double span = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1.0);
        int decimals = Math.max(1, Math.min(10, 2 - (int) Math.floor(Math.log10(span))));
        chart.getStyler().setYAxisDecimalPattern("0." + "#".repeat(decimals));
        Styler.LegendPosition[] where = {Styler.LegendPosition.InsideNE, Styler.LegendPosition.InsideNW,
            Styler.LegendPosition.InsideSE, Styler.LegendPosition.InsideSW, Styler.LegendPosition.InsideN,
            Styler.LegendPosition.InsideS};
        double[][] box = {{0.6, 1, 0.72, 1}, {0, 0.4, 0.72, 1}, {0.6, 1, 0, 0.28}, {0, 0.4, 0, 0.28},
            {0.3, 0.7, 0.72, 1}, {0.3, 0.7, 0, 0.28}};
        int[] hits = new int[where.length];
        double xSpan = Math.max(1, maxN - 1);
        for (double[] y : ys) {
            for (int i = 0; i < y.length; i++) {
                // the point and, towards the next one, the segment between them
                int steps = i + 1 < y.length ? 10 : 1;
                for (int k = 0; k < steps; k++) {
                    double t = k / 10.0;
                    double yv = k == 0 ? y[i] : y[i] + t * (y[i + 1] - y[i]);
                    double px = (i + t) / xSpan;
                    double py = hi > lo ? (yv - lo) / (hi - lo) : 0.5;
                    for (int b = 0; b < box.length; b++) {
                        if (px >= box[b][0] && px <= box[b][1] && py >= box[b][2] && py <= box[b][3]) hits[b]++;
                    }
                }
            }
        }
        int best = 0;
        for (int b = 1; b < hits.length; b++) if (hits[b] < hits[best]) best = b;
        chart.getStyler().setLegendPosition(where[best]);
    }

    private static double[] epochs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i + 1;
        return x;
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** createTempFile makes the file private (0600); an image is an ordinary file (0644). */
    private static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default
        }
    }

    /** Encodes the chart as PNG into a temporary file next to {@code png}, then moves it over {@code png}. */
    private static void write(XYChart chart, Path png) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            readableByAll(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
