package org.cornu.core.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.KerasTensor;
import org.cornu.core.Loss;
import org.cornu.core.Metric;
import org.cornu.core.Optimizer;
import org.cornu.core.Registry;
import org.cornu.core.metrics.Mean;
import org.cornu.core.metrics.Metrics;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@code compile} configured: the optimizer, the losses (one per output), loss weights,
 * the metric identifiers, and, once the targets' shapes are known, the metric objects and the
 * loss trackers. Losses and metric identifiers are checked when {@code compile} is called and
 * bound to the outputs once the model's graph exists (Keras 3 compiles unbuilt models too).
 */
final class CompileState {
    final Optimizer optimizer;
    private final Object lossSpec;
    /** One weight per output (null when not given); from a map, set when bound to the outputs. */
    double[] lossWeights;
    private final Map<String, ? extends Number> lossWeightMap;
    private final Object[] metricSpecs;

    /** Bound to the outputs: one loss and one list of metric identifiers per output. */
    List<Loss> losses;
    List<List<Object>> metricIds;
    /** Resolved from the first targets seen (which accuracy, which crossentropy). */
    List<List<Metric>> metrics;
    /** "loss", then one per output when there are several. */
    Mean[] trackers;
    private List<String> outputNames;

    CompileState(Object optimizer, Object loss, double[] lossWeights, Object[] metrics) {
        this(optimizer, loss, lossWeights, null, metrics);
    }

    CompileState(Object optimizer, Object loss, Map<String, ? extends Number> lossWeights, Object[] metrics) {
        this(optimizer, loss, null, lossWeights, metrics);
    }

    private CompileState(Object optimizer, Object loss, double[] lossWeights, Map<String, ? extends Number> lossWeightMap,
                         Object[] metrics) {
        // null as in Keras's compile(optimizer=None): the model evaluates and predicts, and training says it has none
        this.optimizer = Registry.optimizer(optimizer);
        this.lossSpec = loss;
        this.lossWeights = lossWeights == null ? null : lossWeights.clone();
        this.lossWeightMap = lossWeightMap == null ? null : new LinkedHashMap<>(lossWeightMap);
        if (lossWeightMap != null) {
            for (Map.Entry<String, ? extends Number> e : lossWeightMap.entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("compile: loss_weights[\"" + e.getKey() + "\"] is null; give a number");
                }
            }
        }
        this.metricSpecs = metrics.clone();
        for (Object id : metrics) checkMetricName(id);
        if (loss instanceof String s) Registry.loss(s); // an unknown name fails now, not at fit
    }

    private static void checkMetricName(Object id) {
        if (id instanceof List<?> l) {
            for (Object o : l) checkMetricName(o);
        } else if (id instanceof Map<?, ?> m) {
            for (Object o : m.values()) checkMetricName(o);
        } else if (id instanceof String s && !Metrics.isKnown(s)) {
            throw new IllegalArgumentException("Could not interpret metric identifier: '" + s
                    + "'. Valid names: " + String.join(", ", Metrics.knownNames()));
        }
    }

    boolean hasLoss() {
        return lossSpec != null;
    }

    /** The arguments as given to {@code compile}. */
    CompileArguments arguments() {
        return new CompileArguments(optimizer, lossSpec, lossWeights, Arrays.asList(metricSpecs));
    }

    /** The optimizer for a training step; fails clearly when the model was compiled without one. */
    Optimizer trainingOptimizer() {
        if (optimizer == null) {
            throw new IllegalStateException("The model was compiled without an optimizer (compile(optimizer=None), "
                    + "or a saved compile_config with \"optimizer\": null), so it cannot be trained; "
                    + "call compile() with an optimizer first");
        }
        return optimizer;
    }

    boolean bound() {
        return outputNames != null;
    }

    /** Binds losses and metric identifiers to the model's outputs. */
    void bind(List<KerasTensor> outputs) {
        int nOut = outputs.size();
        List<String> names = new ArrayList<>();
        for (KerasTensor o : outputs) names.add(o.layer().name());
        List<Loss> ls = new ArrayList<>();
        if (lossSpec == null) {
            ls = null;
        } else if (lossSpec instanceof List<?> list) {
            if (list.size() != nOut) {
                throw new IllegalArgumentException("compile: the model has " + nOut + " outputs but " + list.size() + " losses were given");
            }
            for (Object o : list) ls.add(Registry.loss(o));
        } else if (lossSpec instanceof Map<?, ?> map) {
            for (String n : names) {
                Object l = map.get(n);
                if (l == null) {
                    throw new IllegalArgumentException("compile: no loss given for output \"" + n
                            + "\"; the loss map has keys " + map.keySet());
                }
                ls.add(Registry.loss(l));
            }
        } else {
            Loss l = Registry.loss(lossSpec);
            for (int i = 0; i < nOut; i++) ls.add(i == 0 ? l : Registry.loss(lossSpec instanceof String ? lossSpec : l));
        }
        if (lossWeightMap != null) {
            for (String k : lossWeightMap.keySet()) {
                if (!names.contains(k)) {
                    throw new IllegalArgumentException("compile: in the loss_weights map, key '" + k
                            + "' does not correspond to any model output. Outputs: " + names);
                }
            }
            double[] w = new double[nOut];
            for (int i = 0; i < nOut; i++) {
                Number v = lossWeightMap.get(names.get(i));
                if (v == null) {
                    throw new IllegalArgumentException("compile: no loss weight given for output \"" + names.get(i)
                            + "\"; the loss_weights map has keys " + lossWeightMap.keySet());
                }
                w[i] = v.doubleValue();
            }
            lossWeights = w;
        }
        if (lossWeights != null && lossWeights.length != nOut) {
            throw new IllegalArgumentException("compile: the model has " + nOut + " outputs but " + lossWeights.length + " loss weights were given");
        }
        List<List<Object>> mids = new ArrayList<>();
        boolean perOutput = metricSpecs.length == nOut && nOut > 1 && Arrays.stream(metricSpecs).allMatch(m -> m instanceof List);
        Map<?, ?> byName = metricSpecs.length == 1 && metricSpecs[0] instanceof Map<?, ?> mm ? mm : null;
        if (byName != null) {
            for (Object k : byName.keySet()) {
                if (!names.contains(String.valueOf(k))) {
                    throw new IllegalArgumentException("compile: in the metrics map, key '" + k
                            + "' does not correspond to any model output. Outputs: " + names);
                }
            }
        }
        for (int i = 0; i < nOut; i++) {
            List<Object> m = new ArrayList<>();
            if (byName != null) {
                Object v = byName.get(names.get(i));
                if (v instanceof List<?> l) m.addAll(l);
                else if (v != null) m.add(v);
            } else if (perOutput) {
                m.addAll((List<?>) metricSpecs[i]);
            } else {
                m.addAll(Arrays.asList(metricSpecs));
            }
            mids.add(m);
        }
        this.losses = ls;
        this.metricIds = mids;
        this.outputNames = names;
        this.metrics = null;
        this.trackers = new Mean[nOut + 1];
        for (int i = 0; i < trackers.length; i++) trackers[i] = new Mean(i == 0 ? "loss" : prefix(i - 1) + "loss");
    }

    String prefix(int output) {
        return outputNames.size() == 1 ? "" : outputNames.get(output) + "_";
    }

    int outputCount() {
        return outputNames.size();
    }

    /** Creates the metric objects from the first targets (Keras picks the accuracy by shapes and loss). */
    void resolveMetrics(INDArray[] ys, List<KerasTensor> outputs) {
        if (metrics != null) return;
        List<List<Metric>> r = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            List<Metric> ms = new ArrayList<>();
            long[] yp = outputs.get(i).shape().dims();
            for (Object id : metricIds.get(i)) {
                Metric m = Metrics.resolve(id, losses == null ? null : losses.get(i), ys[i].shape(), yp);
                if (!prefix(i).isEmpty()) m.name(prefix(i) + m.name());
                ms.add(m);
            }
            r.add(ms);
        }
        metrics = r;
    }

    /** The loss trackers, then the compiled metrics (Keras's {@code model.metrics} after a first step). */
    List<Metric> all() {
        List<Metric> r = new ArrayList<>();
        if (trackers != null) {
            r.add(trackers[0]);
            if (trackers.length > 2) r.addAll(Arrays.asList(trackers).subList(1, trackers.length));
        }
        if (metrics != null) for (List<Metric> ms : metrics) r.addAll(ms);
        return r;
    }

    /** Adds a step's total loss (and per-output losses) for {@code size} samples to the trackers. */
    void trackLoss(double[] lossVals, long size) {
        for (int i = 0; i < lossVals.length; i++) if (i == 0 || trackers.length > 2) trackers[i].update(lossVals[i], size);
    }

    /** Current values of the trackers and metrics, by name. */
    Map<String, Double> logs() {
        Map<String, Double> l = new LinkedHashMap<>();
        for (Metric m : all()) l.put(m.name(), m.result());
        return l;
    }

    /** The names of {@link #logs()}: loss, per-output losses, metrics. */
    List<String> names() {
        List<String> n = new ArrayList<>();
        for (Metric m : all()) n.add(m.name());
        return n;
    }

    /** Keras 3 updates compiled (non-weighted) metrics without sample weights. */
    void updateMetrics(INDArray[] ys, INDArray[] preds) {
        for (int i = 0; i < preds.length; i++) for (Metric m : metrics.get(i)) m.updateState(ys[i], preds[i], null);
    }
}
