package org.cornu.core.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.callbacks.Callback;
import org.cornu.core.callbacks.CallbackList;
import org.cornu.core.callbacks.History;
import org.cornu.core.callbacks.ProgbarLogger;

/**
 * The loops around the steps (Keras's {@code fit} and {@code evaluate} bodies and its
 * {@code EpochIterator}): callbacks, the progress bar, metric resets, validation and
 * {@link History}. Steps come from {@link StepCompiler}.
 */
final class EpochLoop {
    private EpochLoop() {}

    /** Trains for {@code o.epochs} epochs of {@code steps} steps; validation (or null) runs after an epoch's steps. */
    static History fit(Trainer t, FitOptions o, int steps, StepCompiler.Steps source, Supplier<Map<String, Double>> validation) {
        Model model = (Model) t;
        History h = new History();
        List<Callback> cbs = CallbackList.forFit(o.callbacks, h, model, o.verbose, o.epochs, steps);
        t.stopTraining(false);
        t.history = h;
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        t.resumeEpoch = -1;
        for (Callback c : cbs) c.onTrainBegin(new LinkedHashMap<>());
        int firstEpoch = t.resumeEpoch >= 0 ? t.resumeEpoch : o.initialEpoch;
        t.resumeEpoch = -1;
        for (int epoch = firstEpoch; epoch < o.epochs && !t.stopTraining(); epoch++) {
            for (Callback c : cbs) c.onEpochBegin(epoch, new LinkedHashMap<>());
            for (Metric m : t.metrics()) m.resetState();
            int[] order = source.newEpoch();
            Map<String, Double> batchLogs = Map.of();
            for (int step = 0; step < steps; step++) {
                for (Callback c : cbs) c.onTrainBatchBegin(step, batchLogs);
                batchLogs = ordered(t, source.step(order, step));
                for (Callback c : cbs) c.onTrainBatchEnd(step, batchLogs);
                if (t.stopTraining()) break;
            }
            epochLogs = new LinkedHashMap<>(batchLogs);
            if (validation != null && (epoch + 1 - o.initialEpoch) % o.validationFreq == 0) {
                for (Map.Entry<String, Double> e : validation.get().entrySet()) epochLogs.put("val_" + e.getKey(), e.getValue());
            }
            for (Callback c : cbs) c.onEpochEnd(epoch, epochLogs);
        }
        for (Callback c : cbs) c.onTrainEnd(epochLogs);
        return h;
    }

    /**
     * A step's logs as an ordered map: keys named by {@link Trainer#metrics()} first, in that order
     * (a custom step may return an unordered {@code Map.of}), then any others as given.
     */
    static Map<String, Double> ordered(Trainer t, Map<String, Double> logs) {
        if (logs instanceof LinkedHashMap<String, Double> l) return new LinkedHashMap<>(l);
        Map<String, Double> r = new LinkedHashMap<>();
        for (Metric m : t.metrics()) if (logs.containsKey(m.name())) r.put(m.name(), logs.get(m.name()));
        r.putAll(logs);
        return r;
    }

    /** Runs every test step of {@code s} with the test callbacks (and a progress bar at {@code verbose > 0}); returns the final logs. */
    static Map<String, Double> evaluate(Trainer t, StepCompiler.Steps s, List<Callback> userCbs, int verbose) {
        for (Metric m : t.metrics()) m.resetState();
        int steps = s.count();
        List<Callback> cbs = new ArrayList<>(userCbs);
        if (verbose > 0) {
            ProgbarLogger p = new ProgbarLogger();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("verbose", verbose);
            params.put("test_steps", steps);
            p.setParams(params);
            cbs.add(p);
        }
        for (Callback c : cbs) c.setModel((Model) t);
        for (Callback c : cbs) c.onTestBegin(new LinkedHashMap<>());
        Map<String, Double> l = new LinkedHashMap<>();
        for (int step = 0; step < steps; step++) {
            for (Callback c : cbs) c.onTestBatchBegin(step, Map.of());
            l = ordered(t, s.step(null, step));
            for (Callback c : cbs) c.onTestBatchEnd(step, l);
        }
        for (Callback c : cbs) c.onTestEnd(l);
        return l;
    }
}
