package org.cornu.core.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The progress bar of {@code fit} and {@code evaluate}, in Keras's format:
 * {@code 469/469 [==============================] - 2s 4ms/step - loss: 0.2570 - accuracy: 0.9254}.
 * Verbose 1 redraws one line on a terminal (only the final line per epoch when output is
 * not a terminal); verbose 2 prints one line per epoch. The only Cornu class that writes
 * to the console.
 */
public class ProgbarLogger extends Callback {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean interactive;
    private int verbose = 1;
    private int epochs;
    private int target;
    private long start;
    private long lastDraw;
    private boolean inTest;
    private int seen;

    public ProgbarLogger() {
        this(System.out, System.console() != null);
    }

    /** A progress bar on {@code out}; {@code interactive} redraws in place with carriage returns. */
    public ProgbarLogger(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
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
        start = System.nanoTime();
        lastDraw = 0;
        seen = 0;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        seen = batch + 1;
        if (verbose == 1 && interactive) {
            long now = System.nanoTime();
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
        long el = System.nanoTime() - start;
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
            start = System.nanoTime();
            seen = 0;
        }
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        if (!inTest) return;
        seen = batch + 1;
        if (verbose == 1 && interactive) {
            long now = System.nanoTime();
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
        long el = System.nanoTime() - start;
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
