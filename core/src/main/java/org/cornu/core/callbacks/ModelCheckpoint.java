package org.cornu.core.callbacks;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the model or its weights at the end of every epoch, as
 * {@code keras.callbacks.ModelCheckpoint}. The file path may hold Python format fields filled
 * from the epoch (1-based) and the epoch's logs: {@code "ckpt-{epoch:02d}-{val_loss:.2f}.keras"}.
 * With {@link #saveBestOnly}, a file is written only when {@code monitor} improves (direction
 * from {@code mode}: auto, min or max). Full models need a {@code .keras} path, weights-only
 * saves a {@code .weights.h5} path. Saves are atomic.
 */
public class ModelCheckpoint extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);
    private static final Pattern FIELD = Pattern.compile("\\{(\\w+)(?::([^}]*))?\\}");

    private final String filepath;
    private String monitor = "val_loss";
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private String mode = "auto";
    private int verbose;
    private Double initialValueThreshold;
    private Double best;
    private String lastSaved;

    /**
     * Checkpoints to {@code filepath} (a pattern with {@code {epoch}} and metric fields).
     *
     * <pre>{@code
     * model.fit(x, y, Fit.epochs(10).validationSplit(0.2).callbacks(
     *     new ModelCheckpoint("best.keras").monitor("val_accuracy").mode("max").saveBestOnly(true)));
     * }</pre>
     *
     * @param filepath the file to write (Keras's {@code filepath}), e.g. {@code "ckpt-{epoch:02d}.keras"}
     */
    public ModelCheckpoint(String filepath) {
        this.filepath = filepath;
    }

    /**
     * Checkpoints to {@code filepath}.
     *
     * @param filepath the file to write (Keras's {@code filepath}), which may hold format fields
     */
    public ModelCheckpoint(Path filepath) {
        this(filepath.toString());
    }

    /**
     * The quantity {@link #saveBestOnly} watches (default {@code val_loss}).
     *
     * @param m the log key (Keras's {@code monitor})
     * @return this callback
     */
    public ModelCheckpoint monitor(String m) {
        this.monitor = m;
        return this;
    }

    /**
     * Saves only when the monitored quantity improves on the best so far (Keras's
     * {@code save_best_only}, default false); with a fixed file name, the file always holds the best model.
     *
     * @param b true to save only improvements
     * @return this callback
     */
    public ModelCheckpoint saveBestOnly(boolean b) {
        this.saveBestOnly = b;
        return this;
    }

    /**
     * Saves only the weights, to a {@code .weights.h5} path, instead of the full model (Keras's
     * {@code save_weights_only}, default false).
     *
     * @param b true for weights only
     * @return this callback
     */
    public ModelCheckpoint saveWeightsOnly(boolean b) {
        this.saveWeightsOnly = b;
        return this;
    }

    /**
     * {@code auto}, {@code min} or {@code max}.
     *
     * The direction of improvement for {@link #saveBestOnly} (Keras's {@code mode}, default
     * {@code auto}: inferred from the monitored name).
     *
     * @param m the mode
     * @return this callback
     */
    public ModelCheckpoint mode(String m) {
        this.mode = Monitor.checkMode("ModelCheckpoint", m, LOG);
        return this;
    }

    /**
     * Verbosity (Keras's {@code verbose}, default 0): 1 prints a message at each save.
     *
     * @param v 0 or 1
     * @return this callback
     */
    public ModelCheckpoint verbose(int v) {
        this.verbose = v;
        return this;
    }

    /**
     * The value the monitored quantity must beat for the first save.
     *
     * @param v the threshold (Keras's {@code initial_value_threshold}, none by default)
     * @return this callback
     */
    public ModelCheckpoint initialValueThreshold(double v) {
        this.initialValueThreshold = v;
        return this;
    }

    /** The best value as Keras prints it: {@code inf} ({@code -inf} when maximizing) before the first. */
    private String bestString(boolean maximize) {
        return CallbackUtils.f5(best != null ? best : maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }

    /**
     * The best monitored value so far (null before the first).
     *
     * @return the best value, or null
     */
    public Double best() {
        return best;
    }

    /**
     * The path of the last file written, or null.
     *
     * @return the path, or null before the first save
     */
    public String lastSaved() {
        return lastSaved;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        String ext = saveWeightsOnly ? ".weights.h5" : ".keras";
        if (!filepath.endsWith(ext)) {
            throw new IllegalArgumentException("The filepath provided must end in `" + ext + "` "
                    + (saveWeightsOnly ? "(Keras weights format) when save_weights_only=True"
                    : "(Keras model format)") + ". Received: filepath=" + filepath);
        }
        if (best == null && initialValueThreshold != null) best = initialValueThreshold;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        String path = format(filepath, epoch + 1, logs);
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null) {
                LOG.warn("Can save best model only with {} available, skipping. Available: {}", monitor, logs.keySet());
                return;
            }
            boolean max = Monitor.maximize("ModelCheckpoint", monitor, mode);
            boolean better = best == null || (max ? current > best : current < best);
            if (!better) {
                if (verbose > 0) CallbackUtils.printMsg("\nEpoch " + (epoch + 1) + ": " + monitor + " did not improve from " + bestString(max));
                return;
            }
            if (verbose > 0) {
                CallbackUtils.printMsg("\nEpoch " + (epoch + 1) + ": " + monitor + " improved from " + bestString(max)
                        + " to " + CallbackUtils.f5(current) + ", saving model to " + path);
            }
            best = current;
        } else if (verbose > 0) {
            CallbackUtils.printMsg("\nEpoch " + (epoch + 1) + ": saving model to " + path);
        }
        if (saveWeightsOnly) model.saveWeights(Path.of(path));
        else model.save(Path.of(path));
        lastSaved = path;
    }

    /**
     * Python's {@code str.format(epoch=epoch, **logs)} for the fields Keras file paths use:
     * {@code {name}}, {@code {name:spec}} with spec {@code [0][width][.precision][d|f|e|g|%]}.
     *
     * @param pattern the file path with fields, e.g. {@code "ckpt-{epoch:02d}-{val_loss:.2f}.keras"}
     * @param epoch the value of {@code {epoch}} (1-based, as Keras fills it)
     * @param logs the values of the other fields
     * @return the path with the fields filled in
     */
    public static String format(String pattern, int epoch, Map<String, Double> logs) {
        Matcher m = FIELD.matcher(pattern);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2);
            Object v;
            if (key.equals("epoch")) {
                v = epoch;
            } else if (logs.containsKey(key)) {
                v = logs.get(key);
            } else {
                throw new IllegalArgumentException("Failed to format this callback filepath: \"" + pattern + "\". Reason: KeyError('"
                        + key + "'); available keys: epoch, " + String.join(", ", logs.keySet()));
            }
            m.appendReplacement(b, Matcher.quoteReplacement(formatValue(v, spec)));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static final Pattern SPEC = Pattern.compile("(0)?(\\d+)?(?:\\.(\\d+))?([dfFeEgG%s])?");

    static String formatValue(Object v, String spec) {
        if (spec == null || spec.isEmpty()) return v instanceof Double d ? pyRepr(d) : String.valueOf(v);
        Matcher s = SPEC.matcher(spec);
        if (!s.matches()) throw new IllegalArgumentException("Unsupported format spec ':" + spec + "'");
        boolean zero = s.group(1) != null;
        String width = s.group(2) == null ? "" : s.group(2);
        String prec = s.group(3);
        String type = s.group(4);
        String flags = zero && !width.isEmpty() ? "0" : "";
        if (type == null) {
            if (v instanceof Integer) type = "d";
            else type = prec == null ? "s" : "g";
        }
        double d = ((Number) v).doubleValue();
        return switch (type) {
            case "d" -> String.format(Locale.ROOT, "%" + flags + width + "d", ((Number) v).longValue());
            case "f", "F" -> String.format(Locale.ROOT, "%" + flags + width + "." + (prec == null ? "6" : prec) + "f", d);
            case "e", "E" -> String.format(Locale.ROOT, "%" + flags + width + "." + (prec == null ? "6" : prec) + type, d);
            case "%" -> String.format(Locale.ROOT, "%" + flags + width + "." + (prec == null ? "6" : prec) + "f", d * 100) + "%";
            case "g", "G" -> pyG(d, prec == null ? 6 : Math.max(1, Integer.parseInt(prec)), width, flags);
            default -> v instanceof Double x ? pyRepr(x) : String.valueOf(v);
        };
    }

    /** Python's {@code '{:.Ng}'}: significant digits, trailing zeros removed, exponent form outside [1e-4, 1e{N}). */
    private static String pyG(double d, int p, String width, String flags) {
        if (d == 0) return pad("0", width, flags);
        int exp = (int) Math.floor(Math.log10(Math.abs(new BigDecimal(d).round(new java.math.MathContext(p)).doubleValue())));
        String r;
        if (exp < -4 || exp >= p) {
            r = String.format(Locale.ROOT, "%." + (p - 1) + "e", d);
            String mant = r.substring(0, r.indexOf('e'));
            if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
            r = mant + r.substring(r.indexOf('e'));
        } else {
            r = String.format(Locale.ROOT, "%." + Math.max(0, p - 1 - exp) + "f", d);
            if (r.contains(".")) r = r.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return pad(r, width, flags);
    }

    private static String pad(String s, String width, String flags) {
        if (width.isEmpty() || s.length() >= Integer.parseInt(width)) return s;
        int n = Integer.parseInt(width) - s.length();
        String fill = (flags.equals("0") ? "0" : " ").repeat(n);
        if (flags.equals("0") && s.startsWith("-")) return "-" + fill + s.substring(1);
        return fill + s;
    }

    /** Python's {@code repr(float)}: the shortest round-trip digits, {@code 0.0001} but {@code 1e-05}. */
    static String pyRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double a = Math.abs(d);
        if (a != 0 && (a < 1e-4 || a >= 1e16)) {
            String digits = b.unscaledValue().abs().toString();
            int exp = digits.length() - 1 - b.scale();
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
        }
        String s = b.toPlainString();
        return s.contains(".") ? s : s + ".0";
    }
}
