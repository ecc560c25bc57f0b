package org.cornu.core.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The progress bar of {@code fit} and {@code evaluate}, in Keras's format:
 * {@code 469/469 [==============================] - 2s 4ms/step - loss: 0.2570 - accuracy: 0.9254}.
 *
 * <p>At {@code verbose=1} on a terminal ({@code System.console()} is not null) the bar is redrawn
 * in place. When the output is not a terminal (an IDE's run window, output piped to a file or to
 * {@code tee}) a carriage return would not redraw anything, so the bar is printed as a new line
 * at a steady interval instead: every tenth of the epoch's steps or every
 * {@value #NON_INTERACTIVE_INTERVAL_SECONDS} seconds, whichever comes first, and once more at
 * the end of the epoch. At {@code verbose=2} one line is printed per epoch. {@code fit} and
 * {@code evaluate} add this callback themselves when {@code verbose > 0}.
 */
public class ProgbarLogger extends Callback {
    private static final int WIDTH = 30;
    /** The longest time between two progress lines when the output is not a terminal. */
    public static final int NON_INTERACTIVE_INTERVAL_SECONDS = 30;
    private static final long NON_INTERACTIVE_INTERVAL_NS = NON_INTERACTIVE_INTERVAL_SECONDS * 1_000_000_000L;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier clock;
    private long lastLine;
    private int lastLineStep;
    private int verbose = 1;
    private int epochs;
    private int target;
    private long start;
    private long lastDraw;
    private boolean inTest;
    private int seen;

    /** A progress bar on standard output, redrawn in place when {@code System.console()} is not null. */
    public ProgbarLogger() {
        this(System.out, System.console() != null);
    }

    /**
     * A progress bar on {@code out}.
     *
     * @param out where the bar is written
     * @param interactive true to redraw the bar in place with carriage returns (a terminal);
     *     false to print a progress line at a steady interval
     */
    public ProgbarLogger(PrintStream out, boolean interactive) {
        this(out, interactive, System::nanoTime);
    }

    /**
     * A progress bar on {@code out} that reads the time from {@code nanoClock} (for tests).
     *
     * @param out where the bar is written
     * @param interactive true to redraw the bar in place (a terminal), false for progress lines
     * @param nanoClock a monotonic clock in nanoseconds, as {@link System#nanoTime()}
     */
    public ProgbarLogger(PrintStream out, boolean interactive, LongSupplier nanoClock) {
        this.out = out;
        this.interactive = interactive;
        this.clock = nanoClock;
    }

    /**
     * Without a terminal, prints the current bar as a line when a tenth of the steps or
     * {@value #NON_INTERACTIVE_INTERVAL_SECONDS} seconds have passed since the last line (not on
     * the last step: the end of the epoch or of the evaluation prints that one).
     */
    private void progressLine(Map<String, Double> logs) {
        long now = clock.getAsLong();
        if (seen >= target) return;
        int every = Math.max(1, (target + 9) / 10);
        if (seen - lastLineStep >= every || now - lastLine >= NON_INTERACTIVE_INTERVAL_NS) {
            lastLine = now;
            lastLineStep = seen;
            out.print(line(seen, logs, now - start, false) + "\n");
            out.flush();
        }
    }

    @Override
    public void setParams(Map<String, Object> params) {
        super.setParams(params);
        Object v = params.get("verbose");
        if (v instanceof Integer i) verbose = i;
        Object e = params.get("epochs");
        if (e instanceof Integer i) epochs = i;
        Object s = params.get("steps");
        if (s instanceof Integer i) target = i;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (verbose == 0) return;
        out.println("Epoch " + (epoch + 1) + "/" + epochs);
        start = clock.getAsLong();
        lastDraw = 0;
        lastLine = start;
        lastLineStep = 0;
        seen = 0;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        seen = batch + 1;
        if (verbose == 1 && !interactive) progressLine(logs);
        if (verbose == 1 && interactive) {
            long now = clock.getAsLong();
            if (now - lastDraw > 50_000_000L || seen == target) {
                lastDraw = now;
                out.print("\r" + line(seen, logs, now - start, false));
                out.flush();
            }
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (verbose == 0) return;
        long el = clock.getAsLong() - start;
        if (verbose == 1) {
            out.print((interactive ? "\r" : "") + line(seen, logs, el, true) + "\n");
        } else {
            out.println(seen + "/" + target + " - " + Math.round(el / 1e9) + "s" + values(logs)
                    + " - " + Math.round(el / 1e9) + "s/epoch - " + perStep(el, seen));
        }
        out.flush();
    }

    @Override
    public void onTestBegin(Map<String, Double> logs) {
        Object t = params.get("test_steps");
        inTest = t instanceof Integer;
        if (inTest) {
            target = (Integer) t;
            start = clock.getAsLong();
            lastLine = start;
            lastLineStep = 0;
            seen = 0;
        }
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        if (!inTest) return;
        seen = batch + 1;
        if (verbose == 1 && !interactive) progressLine(logs);
        if (verbose == 1 && interactive) {
            long now = clock.getAsLong();
            if (now - lastDraw > 50_000_000L || seen == target) {
                lastDraw = now;
                out.print("\r" + line(seen, logs, now - start, false));
                out.flush();
            }
        }
    }

    @Override
    public void onTestEnd(Map<String, Double> logs) {
        if (!inTest || verbose == 0) return;
        long el = clock.getAsLong() - start;
        if (verbose == 1) {
            out.print((interactive ? "\r" : "") + line(seen, logs, el, true) + "\n");
        } else {
            out.println(seen + "/" + target + " - " + Math.round(el / 1e9) + "s" + values(logs));
        }
        out.flush();
        inTest = false;
    }

    private String line(int current, Map<String, Double> logs, long elapsedNs, boolean done) {
        String n = Integer.toString(target);
        StringBuilder b = new StringBuilder();
        b.append(String.format("%" + n.length() + "d", current)).append('/').append(n).append(" [");
        int filled = target > 0 ? (int) ((long) WIDTH * current / target) : WIDTH;
        for (int i = 0; i < WIDTH; i++) {
            if (i < filled - 1 || (i == filled - 1 && current >= target)) b.append('=');
            else if (i == filled - 1) b.append('>');
            else if (i == filled && filled == 0) b.append('>');
            else b.append('.');
        }
        b.append(']');
        if (done) {
            b.append(" - ").append(Math.round(elapsedNs / 1e9)).append("s ").append(perStep(elapsedNs, current));
        } else {
            double eta = current > 0 ? (elapsedNs / 1e9) / current * (target - current) : 0;
            b.append(" - ETA: ").append(formatEta(eta));
        }
        b.append(values(logs));
        return b.toString();
    }

    private static String formatEta(double s) {
        if (s > 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", (int) s / 3600, ((int) s % 3600) / 60, (int) s % 60);
        if (s > 60) return String.format(Locale.ROOT, "%d:%02d", (int) s / 60, (int) s % 60);
        return Math.round(s) + "s";
    }

    static String perStep(long elapsedNs, int steps) {
        double t = steps > 0 ? elapsedNs / 1e9 / steps : 0;
        if (t >= 1) return Math.round(t) + "s/step";
        if (t >= 1e-3) return Math.round(t * 1e3) + "ms/step";
        return Math.round(t * 1e6) + "us/step";
    }

    static String values(Map<String, Double> logs) {
        StringBuilder b = new StringBuilder();
        if (logs == null) return "";
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            if (e.getValue() == null) continue;
            double v = e.getValue();
            b.append(" - ").append(e.getKey()).append(": ");
            b.append(Math.abs(v) > 1e-3 || v == 0 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v));
        }
        return b.toString();
    }
}
