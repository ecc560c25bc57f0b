package org.cornu.core.callbacks;

import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;

/**
 * What {@link EarlyStopping} and {@link ReduceLROnPlateau} share (Keras 3's
 * {@code MonitorCallback}): checking {@code mode}, and deciding in {@code "auto"} mode whether
 * the monitored quantity should be minimized or maximized.
 *
 * <p>Keras 3 asks the compiled metric for its direction; Cornu's metrics do not carry one, so
 * the direction is read from the metric's Keras name (class name, snake_case name or alias,
 * optionally behind an output prefix such as {@code dense_1_}): accuracies, AUC, precision,
 * recall, F-scores, IoUs, R2 and correlations go up; errors, crossentropies, hinges,
 * divergences and losses go down.
 */
final class Monitor {
    private Monitor() {}

    /** Normalized names (lower case, no underscores) of Keras metrics whose direction is "up". */
    private static final Set<String> UP = Set.of(
            "accuracy", "acc", "binaryaccuracy", "categoricalaccuracy", "sparsecategoricalaccuracy",
            "topkcategoricalaccuracy", "sparsetopkcategoricalaccuracy",
            "auc", "precision", "recall", "precisionatrecall", "recallatprecision",
            "sensitivityatspecificity", "specificityatsensitivity",
            "f1score", "fbetascore",
            "iou", "binaryiou", "meaniou", "onehotiou", "onehotmeaniou",
            "r2score", "cosinesimilarity", "pearsoncorrelation", "concordancecorrelation");

    /** Normalized names of Keras metrics whose direction is "down". */
    private static final Set<String> DOWN = Set.of(
            "loss", "meansquarederror", "mse", "meanabsoluteerror", "mae",
            "meanabsolutepercentageerror", "mape", "meansquaredlogarithmicerror", "msle",
            "rootmeansquarederror", "logcosherror", "hinge", "squaredhinge", "categoricalhinge",
            "kldivergence", "poisson", "binarycrossentropy", "bce", "categoricalcrossentropy",
            "sparsecategoricalcrossentropy");

    /** {@code mode} if it is auto, min or max; otherwise warns and falls back to auto, as Keras does. */
    static String checkMode(String callback, String mode, Logger log) {
        if ("auto".equals(mode) || "min".equals(mode) || "max".equals(mode)) return mode;
        log.warn("{} mode '{}' is unknown, fallback to auto mode.", callback, mode);
        return "auto";
    }

    /**
     * Whether larger values of {@code monitor} are better. {@code min} and {@code max} decide
     * directly; {@code auto} reads the direction from the metric's name (without {@code val_}).
     *
     * @throws IllegalArgumentException in auto mode when the direction cannot be determined
     */
    static boolean maximize(String callback, String monitor, String mode) {
        if ("min".equals(mode)) return false;
        if ("max".equals(mode)) return true;
        String name = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        Boolean up = direction(name);
        if (up != null) return up;
        throw new IllegalArgumentException(callback + " callback received monitor=" + monitor
                + ", but Cornu isn't able to automatically determine whether that metric should be"
                + " maximized or minimized. Pass mode(\"max\") in order to monitor based on the highest"
                + " metric value, or pass mode(\"min\") in order to use the lowest value.");
    }

    /** The direction of a metric name, trying the whole name, then each suffix after an underscore. */
    static Boolean direction(String name) {
        String candidate = name;
        while (true) {
            String n = candidate.replace("_", "").toLowerCase(Locale.ROOT);
            if (UP.contains(n)) return Boolean.TRUE;
            if (DOWN.contains(n)) return Boolean.FALSE;
            int us = candidate.indexOf('_');
            if (us < 0) return null;
            candidate = candidate.substring(us + 1);
        }
    }
}
