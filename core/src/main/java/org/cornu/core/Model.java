package org.cornu.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.cornu.core.callbacks.Callback;
import org.cornu.core.callbacks.History;
import org.cornu.core.callbacks.ProgbarLogger;
import org.cornu.core.metrics.Mean;
import org.cornu.core.metrics.Metrics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.cornu.core.training.Batcher;
import org.cornu.core.autodiff.LossCollector;
import org.cornu.core.ops.Ops;
import org.cornu.core.training.SmallPath;
import org.cornu.core.training.SmallPredict;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.kernels.Workspaces;

/**
 * A functional model, {@code keras.Model(inputs, outputs)}: a graph of layer applications
 * from {@link Input}s to outputs, with Keras's training API ({@link #compile}, {@link #fit},
 * {@link #evaluate}, {@link #predict}). A model is itself a layer and can be applied inside
 * another model.
 *
 * <pre>{@code
 * KerasTensor in = Input.of(784);
 * KerasTensor h = new Dense(64, "relu").apply(in);
 * Model model = new Model(in, new Dense(10, "softmax").apply(h));
 * }</pre>
 */
public class Model extends Layer {

    protected List<KerasTensor> inputs = List.of();
    protected List<KerasTensor> outputs = List.of();
    private List<Node> nodes = List.of();
    private List<Layer> graphLayers = List.of();

    private Optimizer optimizer;
    private List<Loss> losses;
    private double[] lossWeights;
    private List<List<Object>> metricIds;
    private List<List<Metric>> metrics;
    private boolean compiled;
    private volatile boolean stopTraining;
    private int resumeEpoch = -1;
    private History history;

    /** A model from one input to one output. */
    public Model(KerasTensor input, KerasTensor output) {
        this(List.of(input), List.of(output), null);
    }

    /** A model with several inputs and outputs. */
    public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
        this(inputs, outputs, null);
    }

    /** A named model. */
    public Model(List<KerasTensor> inputs, List<KerasTensor> outputs, String name) {
        if (name != null) name(name);
        initGraph(inputs, outputs);
    }

    /** For subclasses that set up their graph later ({@link Sequential}). */
    protected Model() {}

    @Override
    protected String defaultNamePrefix() {
        return "functional";
    }

    // ------------------------------------------------------------------ graph

    /** Sets the graph's inputs and outputs and orders its layer applications. */
    protected final void initGraph(List<KerasTensor> ins, List<KerasTensor> outs) {
        for (KerasTensor t : ins) {
            if (!(t.layer() instanceof InputLayer)) {
                throw new IllegalArgumentException("Model inputs must come from Input.of(...); got a tensor produced by layer \""
                        + t.layer().name() + "\"");
            }
        }
        List<Node> order = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<KerasTensor> inputSet = Collections.newSetFromMap(new IdentityHashMap<>());
        inputSet.addAll(ins);
        for (KerasTensor o : outs) visit(o, seen, order, inputSet);
        for (Node n : order) {
            for (KerasTensor t : n.inputs) {
                if (t.layer() instanceof InputLayer && !inputSet.contains(t)) {
                    throw new IllegalArgumentException("Graph disconnected: cannot find the value of tensor " + t
                            + " needed by layer \"" + n.layer.name() + "\". It is not among the model's inputs.");
                }
            }
        }
        Set<Layer> layerSet = new LinkedHashSet<>();
        for (KerasTensor t : ins) layerSet.add(t.layer());
        for (Node n : order) layerSet.add(n.layer);
        Set<String> names = new java.util.HashSet<>();
        for (Layer l : layerSet) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("The name \"" + l.name() + "\" is used 2 times in the model. All layer names should be unique.");
            }
        }
        this.inputs = List.copyOf(ins);
        this.outputs = List.copyOf(outs);
        this.nodes = order;
        this.graphLayers = new ArrayList<>(layerSet);
        this.built = true;
    }

    private static void visit(KerasTensor t, Set<Node> seen, List<Node> order, Set<KerasTensor> inputSet) {
        Node n = t.node;
        if (seen.contains(n) || inputSet.contains(t)) return;
        seen.add(n);
        for (KerasTensor in : n.inputs) visit(in, seen, order, inputSet);
        if (!(n.layer instanceof InputLayer)) order.add(n);
    }

    /** The layers, in graph order (for a functional model, its {@link InputLayer}s included, as Keras). */
    public List<Layer> layers() {
        return Collections.unmodifiableList(graphLayers);
    }

    /** The layer named {@code name}; an unknown name lists the known ones. */
    public Layer getLayer(String name) {
        for (Layer l : layers()) if (l.name().equals(name)) return l;
        List<String> names = new ArrayList<>();
        for (Layer l : layers()) names.add(l.name());
        throw new IllegalArgumentException("No such layer: " + name + ". Existing layers are: " + names);
    }

    /** The layer at {@code index} of {@link #layers()}. */
    public Layer getLayer(int index) {
        return layers().get(index);
    }

    /** The symbolic input (single-input models). */
    @Override
    public KerasTensor input() {
        ensureGraph();
        if (inputs.size() != 1) throw new IllegalStateException("Model \"" + name() + "\" has " + inputs.size() + " inputs; use inputs()");
        return inputs.get(0);
    }

    /** The symbolic output (single-output models). */
    @Override
    public KerasTensor output() {
        ensureGraph();
        if (outputs.size() != 1) throw new IllegalStateException("Model \"" + name() + "\" has " + outputs.size() + " outputs; use outputs()");
        return outputs.get(0);
    }

    public List<KerasTensor> inputs() {
        ensureGraph();
        return inputs;
    }

    public List<KerasTensor> outputs() {
        ensureGraph();
        return outputs;
    }

    /** Hook for models whose graph is built on first use ({@link Sequential}). */
    protected void ensureGraph() {
        if (nodes.isEmpty() && inputs.isEmpty()) {
            throw new IllegalStateException("Model \"" + name() + "\" has not been built: give its first layer an input shape, or call fit/predict first.");
        }
    }

    /** Builds the graph from the data's shapes if it is not built yet ({@link Sequential} without input shape). */
    protected void ensureGraph(INDArray[] xs) {
        ensureGraph();
    }

    /** Runs the graph on tensors. */
    public List<Tensor> forward(List<Tensor> xs, boolean training) {
        if (xs.size() != inputs.size()) {
            throw new IllegalArgumentException("Model \"" + name() + "\" expects " + inputs.size()
                    + " input(s), but it received " + xs.size() + " input tensors");
        }
        Map<KerasTensor, Tensor> vals = new IdentityHashMap<>();
        for (int i = 0; i < xs.size(); i++) {
            KerasTensor kt = inputs.get(i);
            long[] s = xs.get(i).shape();
            if (kt.shape().rank() != s.length) {
                // sizes of known axes are checked by the consuming layers, whose messages name them
                throw new IllegalArgumentException("Input " + i + " of layer \"" + name()
                        + "\" is incompatible with the layer: expected shape=" + kt.shape()
                        + ", found shape=" + Shape.format(s));
            }
            vals.put(kt, xs.get(i));
        }
        for (Node n : nodes) {
            List<Tensor> ins = new ArrayList<>(n.inputs.size());
            for (KerasTensor t : n.inputs) ins.add(vals.get(t));
            List<Tensor> outs = n.layer.invoke(ins, training);
            for (int i = 0; i < outs.size(); i++) vals.put(n.outputs.get(i), outs.get(i));
        }
        List<Tensor> r = new ArrayList<>(outputs.size());
        for (KerasTensor o : outputs) r.add(vals.get(o));
        return r;
    }

    @Override
    protected List<Tensor> call(List<Tensor> xs, boolean training) {
        return forward(xs, training);
    }

    @Override
    public void build(List<Shape> inputShapes) {
        built = true;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        List<Shape> r = new ArrayList<>();
        for (KerasTensor o : outputs) r.add(o.shape());
        return r;
    }

    @Override
    protected void checkInputs(List<Shape> shapes, boolean concrete) {
        // checked per input in forward()
    }

    // ------------------------------------------------------------------ weights

    private List<Layer> weightLayers() {
        ensureGraph();
        return layers();
    }

    @Override
    public List<Weight> trainableWeights() {
        List<Weight> r = new ArrayList<>();
        if (!trainable()) return r;
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer l : weightLayers()) for (Weight w : l.trainableWeights()) if (seen.add(w)) r.add(w);
        return r;
    }

    @Override
    public List<Weight> nonTrainableWeights() {
        List<Weight> r = new ArrayList<>();
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer l : weightLayers()) {
            for (Weight w : trainable() ? l.nonTrainableWeights() : l.weights()) if (seen.add(w)) r.add(w);
        }
        return r;
    }

    /** All weights, layer by layer, in Keras's {@code model.weights} order (each layer's own order). */
    @Override
    public List<Weight> weights() {
        List<Weight> r = new ArrayList<>();
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer l : weightLayers()) for (Weight w : l.weights()) if (seen.add(w)) r.add(w);
        return r;
    }

    @Override
    public long countParams() {
        long n = 0;
        for (Weight w : weights()) n += w.value().length();
        return n;
    }

    // ------------------------------------------------------------------ compile

    /**
     * Configures training. {@code optimizer}: a name ({@code "rmsprop"}) or an {@link Optimizer};
     * {@code loss}: a name or {@link Loss}, or, for several outputs, a {@code List} in output
     * order or a {@code Map} from output layer name; {@code metrics}: names or {@link Metric}s
     * ({@code "accuracy"} picks binary, categorical or sparse accuracy as Keras does), applied to
     * every output, or one {@code List} per output.
     */
    public void compile(Object optimizer, Object loss, Object... metrics) {
        compile(optimizer, loss, null, metrics);
    }

    /** {@link #compile(Object, Object, Object...)} with per-output loss weights. */
    public void compile(Object optimizer, Object loss, double[] lossWeights, Object... metrics) {
        ensureGraph();
        this.optimizer = Registry.optimizer(optimizer);
        if (this.optimizer == null) throw new IllegalArgumentException("compile: optimizer must not be null");
        int nOut = outputs.size();
        List<Loss> ls = new ArrayList<>();
        if (loss instanceof List<?> list) {
            if (list.size() != nOut) {
                throw new IllegalArgumentException("compile: the model has " + nOut + " outputs but " + list.size() + " losses were given");
            }
            for (Object o : list) ls.add(Registry.loss(o));
        } else if (loss instanceof Map<?, ?> map) {
            for (KerasTensor o : outputs) {
                Object l = map.get(o.layer().name());
                if (l == null) {
                    throw new IllegalArgumentException("compile: no loss given for output \"" + o.layer().name()
                            + "\"; the loss map has keys " + map.keySet());
                }
                ls.add(Registry.loss(l));
            }
        } else {
            if (loss == null) throw new IllegalArgumentException("compile: loss must not be null");
            Loss l = Registry.loss(loss);
            for (int i = 0; i < nOut; i++) ls.add(i == 0 ? l : Registry.loss(loss instanceof String ? loss : l));
        }
        if (lossWeights != null && lossWeights.length != nOut) {
            throw new IllegalArgumentException("compile: the model has " + nOut + " outputs but " + lossWeights.length + " loss weights were given");
        }
        List<List<Object>> mids = new ArrayList<>();
        boolean perOutput = metrics.length == nOut && nOut > 1 && Arrays.stream(metrics).allMatch(m -> m instanceof List);
        for (int i = 0; i < nOut; i++) {
            List<Object> m = new ArrayList<>();
            if (perOutput) m.addAll((List<?>) metrics[i]);
            else m.addAll(Arrays.asList(metrics));
            for (Object id : m) {
                if (id instanceof String s && !Metrics.isKnown(s)) {
                    throw new IllegalArgumentException("Could not interpret metric identifier: '" + s
                            + "'. Valid names: " + String.join(", ", Metrics.knownNames()));
                }
            }
            mids.add(m);
        }
        this.losses = ls;
        this.lossWeights = lossWeights;
        this.metricIds = mids;
        this.metrics = null;
        this.compiled = true;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The compiled losses, one per output. */
    public List<Loss> losses() {
        return losses;
    }

    public boolean isCompiled() {
        return compiled;
    }

    /** Asks {@code fit} to stop after the current batch (Keras's {@code model.stop_training = True}). */
    public void stopTraining(boolean stop) {
        this.stopTraining = stop;
    }

    public boolean stopTraining() {
        return stopTraining;
    }

    /**
     * Makes the {@code fit} that is starting begin at {@code epoch} (0-based) instead of its
     * {@code initialEpoch}; for callbacks' {@code onTrainBegin} that resume an interrupted run
     * ({@link org.cornu.core.callbacks.BackupAndRestore}).
     */
    public void resumeFromEpoch(int epoch) {
        this.resumeEpoch = epoch;
    }

    /** The {@link History} of the last {@code fit}. */
    public History history() {
        return history;
    }

    private void requireCompiled(String what) {
        if (!compiled) {
            throw new IllegalStateException("You must call compile() before " + what + " on model \"" + name() + "\"");
        }
    }

    private String outputPrefix(int i) {
        return outputs.size() == 1 ? "" : outputs.get(i).layer().name() + "_";
    }

    private void resolveMetrics(INDArray[] ys) {
        if (metrics != null) return;
        List<List<Metric>> r = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            List<Metric> ms = new ArrayList<>();
            long[] yp = outputs.get(i).shape().dims();
            for (Object id : metricIds.get(i)) {
                Metric m = Metrics.resolve(id, losses.get(i), ys[i].shape(), yp);
                if (!outputPrefix(i).isEmpty()) m.name(outputPrefix(i) + m.name());
                ms.add(m);
            }
            r.add(ms);
        }
        metrics = r;
    }

    /** Names of the values {@link #evaluate} returns: loss, per-output losses, metrics. */
    public List<String> metricsNames() {
        List<String> n = new ArrayList<>();
        n.add("loss");
        if (outputs.size() > 1) for (int i = 0; i < outputs.size(); i++) n.add(outputPrefix(i) + "loss");
        if (metrics != null) for (List<Metric> ms : metrics) for (Metric m : ms) n.add(m.name());
        return n;
    }

    // ------------------------------------------------------------------ data checks

    private INDArray[] asFloat(INDArray[] xs) {
        INDArray[] r = new INDArray[xs.length];
        DataType ft = Cornu.floatType();
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == null) throw new IllegalArgumentException("Input " + i + " is null");
            r[i] = xs[i].dataType() == ft ? xs[i] : xs[i].castTo(ft);
        }
        return r;
    }

    private void checkCardinality(INDArray[] xs, INDArray[] ys, INDArray sw) {
        if (xs.length != inputs.size()) {
            throw new IllegalArgumentException("Model \"" + name() + "\" expects " + inputs.size()
                    + " input(s), but it received " + xs.length + " input arrays");
        }
        if (ys != null && ys.length != outputs.size()) {
            throw new IllegalArgumentException("Model \"" + name() + "\" has " + outputs.size()
                    + " output(s), but " + ys.length + " target arrays were given");
        }
        long n = xs[0].size(0);
        boolean ok = true;
        for (INDArray x : xs) ok &= x.size(0) == n;
        if (ys != null) for (INDArray y : ys) ok &= y != null && y.rank() > 0 && y.size(0) == n;
        if (sw != null) ok &= sw.size(0) == n;
        if (!ok) {
            StringBuilder b = new StringBuilder("Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.");
            for (INDArray x : xs) b.append("\n'x' sizes: ").append(x.size(0));
            if (ys != null) for (INDArray y : ys) b.append("\n'y' sizes: ").append(y == null || y.rank() == 0 ? "none" : y.size(0));
            if (sw != null) b.append("\n'sample_weight' sizes: ").append(sw.size(0));
            throw new IllegalArgumentException(b.toString());
        }
        if (ys != null) {
            for (int i = 0; i < ys.length; i++) {
                long[] yp = outputs.get(i).shape().dims();
                long[] yt = ys[i].shape();
                String ln = losses.get(i).name();
                boolean sparse = ln.contains("sparse");
                boolean ok2;
                if (sparse) {
                    ok2 = yt.length == yp.length - 1 || (yt.length == yp.length && yt[yt.length - 1] == 1);
                } else {
                    long[] ytn = yt.clone();
                    ytn[0] = Shape.NONE;
                    ok2 = Shape.of(yp).compatibleWith(ytn)
                            || (yt.length == yp.length - 1 && yp[yp.length - 1] == 1);
                }
                if (!ok2) {
                    throw new IllegalArgumentException("Arguments `target` and `output` must have the same shape"
                            + (sparse ? " up to the last axis" : "") + " for loss " + ln + " of output \""
                            + outputs.get(i).layer().name() + "\". Received: target.shape=" + Shape.format(withNone(yt))
                            + ", output.shape=" + Shape.format(yp));
                }
            }
        }
    }

    private static long[] withNone(long[] s) {
        long[] r = s.clone();
        if (r.length > 0) r[0] = Shape.NONE;
        return r;
    }

    // ------------------------------------------------------------------ steps

    /** One training step on a batch; returns the total loss and per-output losses. */
    private double[] trainStep(INDArray[] xb, INDArray[] yb, INDArray swb) {
        List<Weight> tws = trainableWeights();
        double[] lossVals = new double[outputs.size() + 1];
        try (MemoryWorkspace ws = Workspaces.step(Workspaces.TRAIN)) {
            List<Tensor> vars = new ArrayList<>(tws.size());
            for (Weight w : tws) vars.add(w.bindVariable());
            List<Tensor> outs;
            try (Tape tape = Tape.record()) {
                LossCollector.start();
                List<Tensor> ins = new ArrayList<>(xb.length);
                for (INDArray x : xb) ins.add(Tensor.constant(x));
                outs = forward(ins, true);
                Tensor total = totalLoss(outs, yb, swb, LossCollector.finish(), lossVals);
                lossVals[0] = total.value().getDouble(0);
                tape.backward(total);
            } finally {
                LossCollector.finish();
                for (Weight w : tws) w.unbind();
            }
            List<INDArray> grads = new ArrayList<>(vars.size());
            for (Tensor v : vars) grads.add(v.grad());
            optimizer.apply(grads, tws);
            updateMetrics(yb, outs, swb);
        }
        return lossVals;
    }

    private Tensor totalLoss(List<Tensor> outs, INDArray[] yb, INDArray swb, List<Tensor> extra, double[] lossVals) {
        Tensor total = null;
        for (int i = 0; i < outs.size(); i++) {
            Tensor li = losses.get(i).compute(yb[i], outs.get(i), swb);
            if (outs.size() > 1) lossVals[i + 1] = li.value().getDouble(0);
            if (lossWeights != null) li = Ops.mulScalar(li, lossWeights[i]);
            total = total == null ? li : Ops.add(total, li);
        }
        for (Weight w : weights()) {
            if (w.regularizer() != null) total = Ops.add(total, reshapeScalar(w.regularizer().apply(w.tensor()), total));
        }
        for (Tensor e : extra) total = Ops.add(total, reshapeScalar(e, total));
        return total;
    }

    private static Tensor reshapeScalar(Tensor t, Tensor like) {
        return Arrays.equals(t.shape(), like.shape()) ? t : Ops.reshape(t, like.shape());
    }

    private double[] testStep(INDArray[] xb, INDArray[] yb, INDArray swb) {
        double[] lossVals = new double[outputs.size() + 1];
        try (MemoryWorkspace ws = Workspaces.step(Workspaces.TEST)) {
            List<Tensor> ins = new ArrayList<>(xb.length);
            for (INDArray x : xb) ins.add(Tensor.constant(x));
            LossCollector.start();
            List<Tensor> outs;
            List<Tensor> extra;
            try {
                outs = forward(ins, false);
            } finally {
                extra = LossCollector.finish();
            }
            Tensor total = totalLoss(outs, yb, swb, extra, lossVals);
            lossVals[0] = total.value().getDouble(0);
            updateMetrics(yb, outs, swb);
        }
        return lossVals;
    }

    private void updateMetrics(INDArray[] yb, List<Tensor> outs, INDArray swb) {
        // inside the step's workspace: metric temporaries cost no native allocation (see Metric)
        for (int i = 0; i < outs.size(); i++) {
            // Keras 3 updates compiled (non-weighted) metrics without sample weights.
            for (Metric m : metrics.get(i)) m.updateState(yb[i], outs.get(i).value(), null);
        }
    }

    private void resetMetrics() {
        for (List<Metric> ms : metrics) for (Metric m : ms) m.resetState();
    }

    private Map<String, Double> logs(Mean[] trackers) {
        Map<String, Double> l = new LinkedHashMap<>();
        l.put("loss", trackers[0].result());
        if (outputs.size() > 1) for (int i = 0; i < outputs.size(); i++) l.put(outputPrefix(i) + "loss", trackers[i + 1].result());
        for (List<Metric> ms : metrics) for (Metric m : ms) l.put(m.name(), m.result());
        return l;
    }

    private Mean[] trackers() {
        Mean[] t = new Mean[outputs.size() + 1];
        for (int i = 0; i < t.length; i++) t[i] = new Mean(i == 0 ? "loss" : outputPrefix(i - 1) + "loss");
        return t;
    }

    // ------------------------------------------------------------------ fit

    /** Trains a single-input, single-output model. */
    public History fit(INDArray x, INDArray y, FitOptions options) {
        return fit(new INDArray[] {x}, new INDArray[] {y}, options);
    }

    /** Trains for one epoch at batch size 32. */
    public History fit(INDArray x, INDArray y) {
        return fit(x, y, new FitOptions());
    }

    /** Trains a model with several inputs or outputs; arrays in {@link #inputs()} and {@link #outputs()} order. */
    public History fit(INDArray[] x, INDArray[] y, FitOptions o) {
        Cornu.chooseThreads();
        ensureGraph(x);
        requireCompiled("fit()");
        INDArray[] xs = asFloat(x);
        INDArray[] ys = y.clone();
        checkCardinality(xs, ys, o.sampleWeight);
        INDArray sw = o.sampleWeight;
        if (o.classWeight != null) sw = combine(sw, classWeights(ys[0], o.classWeight));
        long n = xs[0].size(0);

        INDArray[] vx = null, vy = null;
        INDArray vsw = null;
        if (o.validationX != null) {
            vx = asFloat(o.validationX);
            vy = o.validationY;
            vsw = o.validationSampleWeight;
            checkCardinality(vx, vy, vsw);
        } else if (o.validationSplit > 0) {
            long splitAt = (long) Math.floor(n * (1.0 - o.validationSplit));
            if (splitAt <= 0 || splitAt >= n) {
                throw new IllegalArgumentException("validation_split=" + o.validationSplit + " leaves no training or no validation samples out of " + n);
            }
            vx = slice(xs, splitAt, n);
            vy = slice(ys, splitAt, n);
            vsw = sw == null ? null : rows(sw, splitAt, n);
            xs = slice(xs, 0, splitAt);
            ys = slice(ys, 0, splitAt);
            sw = sw == null ? null : rows(sw, 0, splitAt);
            n = splitAt;
        }
        resolveMetrics(ys);
        int bs = o.batchSize;
        int steps = (int) ((n + bs - 1) / bs);
        if (o.stepsPerEpoch != null) steps = Math.min(steps, o.stepsPerEpoch);

        SmallPath planned = SmallPath.plan(this, bs, (int) (ys[0].length() / n), losses.get(0), metrics.get(0));
        SmallPath small = planned != null && planned.accepts(xs[0]) && (vx == null || planned.accepts(vx[0])) ? planned : null;
        SmallPath.Data smallData = small == null ? null : small.bind(xs[0], ys[0], sw);
        SmallPath.Data smallVal = small == null || vx == null ? null : small.bind(vx[0], vy[0], vsw);
        Batcher batcher = small == null ? new Batcher(xs, ys, sw, bs, leftovers) : null;
        // taken: a fit started meanwhile (from a callback) gets none of them
        if (batcher != null) leftovers = Batcher.Leftovers.NONE;
        final long count = n;
        final boolean shuffle = o.shuffle;
        EpochSource source = new EpochSource() {
            @Override
            public int[] newEpoch() {
                return shuffle ? Batcher.permutation((int) count) : null;
            }

            @Override
            public double[] step(int[] order, int step) {
                if (small != null) {
                    int size = (int) Math.min(bs, count - (long) step * bs);
                    return new double[] {small.trainStep(smallData, order, step * bs, size, optimizer), size};
                }
                Batcher.Batch b = batcher.batch(order, step);
                return withSize(trainStep(b.x(), b.y(), b.sw()), b.size());
            }
        };
        final INDArray[] fvx = vx, fvy = vy;
        final INDArray fvsw = vsw;
        int vbs = o.validationBatchSize > 0 ? o.validationBatchSize : bs;
        java.util.function.Supplier<Map<String, Double>> validation = vx == null ? null
                : () -> evaluateLogs(fvx, fvy, fvsw, vbs, List.of(), 0, vbs == bs ? smallVal : null);
        try {
            return runEpochs(o, steps, source, validation);
        } finally {
            leftovers = batcher == null ? Batcher.Leftovers.NONE : batcher.leftovers();
        }
    }

    /**
     * The last array fit's batch buffers (a multi-hot batch of 512 is 20 MB) and sparse row stores,
     * reused by the next fit where shapes allow: fresh memory costs page faults on its first writes,
     * which a fit of one epoch (a loop of {@code fit(epochs=1)}) would pay every time.
     */
    private Batcher.Leftovers leftovers = Batcher.Leftovers.NONE;

    /** Where training batches come from: a new epoch's sample order, then one step at a time. */
    private interface EpochSource {
        int[] newEpoch();

        /** Trains step {@code step}; returns the loss values followed by the batch size. */
        double[] step(int[] order, int step);
    }

    private static double[] withSize(double[] lossVals, int size) {
        double[] r = java.util.Arrays.copyOf(lossVals, lossVals.length + 1);
        r[lossVals.length] = size;
        return r;
    }

    /** The epoch loop shared by array and stream {@code fit}: callbacks, trackers, logs, validation, History. */
    private History runEpochs(FitOptions o, int steps, EpochSource source,
                              java.util.function.Supplier<Map<String, Double>> validation) {
        Mean[] trackers = trackers();
        History h = new History();
        List<Callback> cbs = new ArrayList<>(o.callbacks);
        cbs.add(h);
        if (o.verbose > 0) cbs.add(new ProgbarLogger());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("epochs", o.epochs);
        params.put("steps", steps);
        params.put("verbose", o.verbose);
        for (Callback c : cbs) {
            c.setModel(this);
            c.setParams(params);
        }
        stopTraining = false;
        this.history = h;
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        resumeEpoch = -1;
        for (Callback c : cbs) c.onTrainBegin(new LinkedHashMap<>());
        int firstEpoch = resumeEpoch >= 0 ? resumeEpoch : o.initialEpoch;
        resumeEpoch = -1;
        for (int epoch = firstEpoch; epoch < o.epochs && !stopTraining; epoch++) {
            for (Callback c : cbs) c.onEpochBegin(epoch, new LinkedHashMap<>());
            for (Mean t : trackers) t.resetState();
            resetMetrics();
            int[] order = source.newEpoch();
            Map<String, Double> batchLogs = Map.of();
            for (int step = 0; step < steps; step++) {
                for (Callback c : cbs) c.onTrainBatchBegin(step, batchLogs);
                double[] r = source.step(order, step);
                int size = (int) r[r.length - 1];
                for (int i = 0; i < r.length - 1; i++) {
                    if (i == 0 || outputs.size() > 1) trackers[i].update(r[i], size);
                }
                batchLogs = logs(trackers);
                if (Double.isNaN(r[0]) || Double.isInfinite(r[0])) batchLogs.put("loss", r[0]);
                for (Callback c : cbs) c.onTrainBatchEnd(step, batchLogs);
                if (stopTraining) break;
            }
            epochLogs = logs(trackers);
            if (validation != null && (epoch + 1 - o.initialEpoch) % o.validationFreq == 0) {
                for (Map.Entry<String, Double> e : validation.get().entrySet()) epochLogs.put("val_" + e.getKey(), e.getValue());
            }
            for (Callback c : cbs) c.onEpochEnd(epoch, epochLogs);
        }
        for (Callback c : cbs) c.onTrainEnd(epochLogs);
        return h;
    }

    /**
     * Trains on a stream of batches, as Keras's {@code fit(generator, steps_per_epoch=...)}: each
     * element is {@code {x, y}} or {@code {x, y, sampleWeight}} (with several inputs or outputs, the
     * inputs, then the targets, then optionally the weights). {@code stepsPerEpoch} is required;
     * a validation stream is given with {@link FitOptions#validationData(Iterator, int)}.
     */
    public History fit(Iterator<INDArray[]> batches, FitOptions o) {
        Cornu.chooseThreads();
        requireCompiled("fit()");
        if (o.stepsPerEpoch == null || o.stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("fit: training from a batch stream needs stepsPerEpoch (Keras's steps_per_epoch)");
        }
        if (o.validationSplit > 0) {
            throw new IllegalArgumentException("fit: validation_split is only supported for arrays, not for a batch stream");
        }
        INDArray[][] first = {null};
        first[0] = nextBatch(batches, "training");
        ensureGraph(java.util.Arrays.copyOf(first[0], inputs.size()));
        resolveMetrics(java.util.Arrays.copyOfRange(first[0], inputs.size(), inputs.size() + outputs.size()));
        EpochSource source = new EpochSource() {
            @Override
            public int[] newEpoch() {
                return null;
            }

            @Override
            public double[] step(int[] order, int step) {
                INDArray[] b = first[0] != null ? first[0] : nextBatch(batches, "training");
                first[0] = null;
                INDArray[][] p = parts(b);
                return withSize(trainStep(p[0], p[1], p[2] == null ? null : p[2][0]), (int) p[0][0].size(0));
            }
        };
        java.util.function.Supplier<Map<String, Double>> validation = o.validationStream == null ? null
                : () -> evaluateStream(o.validationStream, o.validationSteps);
        return runEpochs(o, o.stepsPerEpoch, source, validation);
    }

    private INDArray[] nextBatch(Iterator<INDArray[]> it, String what) {
        if (!it.hasNext()) {
            throw new IllegalStateException("fit: the " + what + " batch stream ran out; it must yield at least steps_per_epoch"
                    + " batches per epoch (or be endless)");
        }
        return it.next();
    }

    /** Splits a stream element into inputs, targets and (optional) sample weights, checked and cast. */
    private INDArray[][] parts(INDArray[] b) {
        int ni = inputs.size(), no = outputs.size();
        if (b.length != ni + no && b.length != ni + no + 1) {
            throw new IllegalArgumentException("A batch of a stream for model \"" + name() + "\" must hold " + ni + " input(s) and "
                    + no + " target(s), optionally followed by sample weights; got " + b.length + " arrays");
        }
        INDArray[] x = asFloat(java.util.Arrays.copyOf(b, ni));
        INDArray[] y = java.util.Arrays.copyOfRange(b, ni, ni + no);
        INDArray sw = b.length > ni + no ? b[ni + no] : null;
        checkCardinality(x, y, sw);
        return new INDArray[][] {x, y, sw == null ? null : new INDArray[] {sw}};
    }

    /** Loss and metrics over {@code steps} batches of a stream (validation of a stream {@code fit}). */
    private Map<String, Double> evaluateStream(Iterator<INDArray[]> it, int steps) {
        Mean[] trackers = trackers();
        resetMetrics();
        for (int s = 0; s < steps; s++) {
            INDArray[][] p = parts(nextBatch(it, "validation"));
            double[] lv = testStep(p[0], p[1], p[2] == null ? null : p[2][0]);
            for (int i = 0; i < lv.length; i++) if (i == 0 || outputs.size() > 1) trackers[i].update(lv[i], p[0][0].size(0));
        }
        return logs(trackers);
    }

    private static INDArray[] slice(INDArray[] a, long from, long to) {
        INDArray[] r = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) r[i] = rows(a[i], from, to);
        return r;
    }

    public static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < idx.length; d++) idx[d] = NDArrayIndex.all();
        return a.get(idx);
    }

    private static INDArray combine(INDArray a, INDArray b) {
        if (a == null) return b;
        return a.castTo(b.dataType()).reshape(b.shape()).mul(b);
    }

    /** Per-sample weights from class weights: class = integer label, or argmax of a one-hot row. */
    static INDArray classWeights(INDArray y, Map<Integer, Double> cw) {
        long n = y.size(0);
        INDArray cls;
        if (y.rank() >= 2 && y.size(y.rank() - 1) > 1) cls = y.argMax(y.rank() - 1);
        else cls = y.reshape(n);
        double[] c = cls.castTo(DataType.DOUBLE).data().asDouble();
        double[] w = new double[(int) n];
        for (int i = 0; i < n; i++) w[i] = cw.getOrDefault((int) Math.round(c[i]), 1.0);
        return Nd4j.create(w, new long[] {n}, Cornu.floatType());
    }

    // ------------------------------------------------------------------ evaluate / predict

    /** Returns the loss, then the metrics, in {@link #metricsNames()} order. */
    public double[] evaluate(INDArray x, INDArray y) {
        return evaluate(new INDArray[] {x}, new INDArray[] {y}, new RunOptions());
    }

    public double[] evaluate(INDArray x, INDArray y, RunOptions o) {
        return evaluate(new INDArray[] {x}, new INDArray[] {y}, o);
    }

    public double[] evaluate(INDArray[] x, INDArray[] y, RunOptions o) {
        Map<String, Double> l = evaluateAsMap(x, y, o);
        double[] r = new double[l.size()];
        int i = 0;
        for (double v : l.values()) r[i++] = v;
        return r;
    }

    /** {@link #evaluate} as a map from metric name to value (Keras's {@code return_dict=True}). */
    public Map<String, Double> evaluateAsMap(INDArray[] x, INDArray[] y, RunOptions o) {
        Cornu.chooseThreads();
        ensureGraph(x);
        requireCompiled("evaluate()");
        INDArray[] xs = asFloat(x);
        checkCardinality(xs, y, o.sampleWeight);
        resolveMetrics(y);
        return evaluateLogs(xs, y, o.sampleWeight, o.batchSize, o.callbacks, o.verbose, null);
    }

    /** Evaluates in batches; {@code bound} is the data already bound for the small-batch path, if any. */
    private Map<String, Double> evaluateLogs(INDArray[] xs, INDArray[] ys, INDArray sw, int bs,
                                             List<Callback> userCbs, int verbose, SmallPath.Data bound) {
        Mean[] trackers = trackers();
        resetMetrics();
        long n = xs[0].size(0);
        SmallPath planned = SmallPath.plan(this, bs, (int) (ys[0].length() / n), losses.get(0), metrics.get(0));
        SmallPath small = planned != null && planned.accepts(xs[0]) ? planned : null;
        SmallPath.Data smallData = small == null ? null : bound != null ? bound : small.bind(xs[0], ys[0], sw);
        int steps = (int) ((n + bs - 1) / bs);
        List<Callback> cbs = new ArrayList<>(userCbs);
        if (verbose > 0) {
            ProgbarLogger p = new ProgbarLogger();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("verbose", verbose);
            params.put("test_steps", steps);
            p.setParams(params);
            cbs.add(p);
        }
        for (Callback c : cbs) c.setModel(this);
        for (Callback c : cbs) c.onTestBegin(new LinkedHashMap<>());
        Map<String, Double> l = new LinkedHashMap<>();
        for (int s = 0; s < steps; s++) {
            for (Callback c : cbs) c.onTestBatchBegin(s, Map.of());
            long a = (long) s * bs, b = Math.min(n, a + bs);
            double[] lv = small != null ? new double[] {small.testStep(smallData, (int) a, (int) (b - a))}
                    : testStep(slice(xs, a, b), slice(ys, a, b), sw == null ? null : rows(sw, a, b));
            for (int i = 0; i < lv.length; i++) if (i == 0 || outputs.size() > 1) trackers[i].update(lv[i], b - a);
            l = logs(trackers);
            for (Callback c : cbs) c.onTestBatchEnd(s, l);
        }
        l = logs(trackers);
        for (Callback c : cbs) c.onTestEnd(l);
        return l;
    }

    /** Predicts a single-output model in batches of 32. */
    public INDArray predict(INDArray x) {
        return predict(x, 32);
    }

    /** Predicts a single-output model in batches of {@code batchSize}. */
    public INDArray predict(INDArray x, int batchSize) {
        return predictAll(new INDArray[] {x}, new RunOptions().batchSize(batchSize).verbose(0))[0];
    }

    public INDArray predict(INDArray x, RunOptions o) {
        return predictAll(new INDArray[] {x}, o)[0];
    }

    /** Predicts all outputs of a model with several inputs or outputs. */
    public INDArray[] predictAll(INDArray[] x, RunOptions o) {
        Cornu.chooseThreads();
        ensureGraph(x);
        INDArray[] xs = asFloat(x);
        checkCardinality(xs, null, null);
        if (o.callbacks.isEmpty() && xs.length == 1) {
            INDArray fast = SmallPredict.predict(this, xs[0]);
            if (fast != null) return new INDArray[] {fast};
        }
        long n = xs[0].size(0);
        int bs = o.batchSize;
        int steps = (int) ((n + bs - 1) / bs);
        INDArray[] res = new INDArray[outputs.size()];
        for (Callback c : o.callbacks) {
            c.setModel(this);
            c.onPredictBegin(new LinkedHashMap<>());
        }
        for (int s = 0; s < steps; s++) {
            for (Callback c : o.callbacks) c.onPredictBatchBegin(s, Map.of());
            long a = (long) s * bs, b = Math.min(n, a + bs);
            INDArray[] xb = steps == 1 ? xs : slice(xs, a, b);
            try (MemoryWorkspace ws = Workspaces.step(Workspaces.PREDICT)) {
                List<Tensor> ins = new ArrayList<>();
                for (INDArray xi : xb) ins.add(Tensor.constant(xi));
                List<Tensor> outs = forward(ins, false);
                for (int i = 0; i < outs.size(); i++) {
                    INDArray v = outs.get(i).value();
                    if (res[i] == null) {
                        long[] shape = v.shape().clone();
                        shape[0] = n;
                        try (MemoryWorkspace out = Workspaces.outside()) {
                            res[i] = Nd4j.createUninitialized(v.dataType(), shape);
                        }
                    }
                    (steps == 1 ? res[i] : rows(res[i], a, b)).assign(v);
                }
            }
            for (Callback c : o.callbacks) c.onPredictBatchEnd(s, Map.of());
        }
        for (Callback c : o.callbacks) c.onPredictEnd(new LinkedHashMap<>());
        return res;
    }

    /** One gradient update on one batch; returns the loss then the metrics of that batch. */
    public double[] trainOnBatch(INDArray x, INDArray y) {
        return trainOnBatch(new INDArray[] {x}, new INDArray[] {y}, null);
    }

    public double[] trainOnBatch(INDArray[] x, INDArray[] y, INDArray sampleWeight) {
        Cornu.chooseThreads();
        ensureGraph(x);
        requireCompiled("trainOnBatch()");
        INDArray[] xs = asFloat(x);
        checkCardinality(xs, y, sampleWeight);
        resolveMetrics(y);
        resetMetrics();
        double[] lv = trainStep(xs, y, sampleWeight);
        return batchResult(lv);
    }

    /** The loss and metrics of one batch, without updating the weights. */
    public double[] testOnBatch(INDArray x, INDArray y) {
        return testOnBatch(new INDArray[] {x}, new INDArray[] {y}, null);
    }

    public double[] testOnBatch(INDArray[] x, INDArray[] y, INDArray sampleWeight) {
        Cornu.chooseThreads();
        ensureGraph(x);
        requireCompiled("testOnBatch()");
        INDArray[] xs = asFloat(x);
        checkCardinality(xs, y, sampleWeight);
        resolveMetrics(y);
        resetMetrics();
        return batchResult(testStep(xs, y, sampleWeight));
    }

    private double[] batchResult(double[] lv) {
        List<Double> r = new ArrayList<>();
        r.add(lv[0]);
        if (outputs.size() > 1) for (int i = 1; i < lv.length; i++) r.add(lv[i]);
        for (List<Metric> ms : metrics) for (Metric m : ms) r.add(m.result());
        return r.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Predicts one batch in a single forward pass. */
    public INDArray predictOnBatch(INDArray x) {
        return predictAll(new INDArray[] {x}, new RunOptions().batchSize((int) Math.max(1, x.size(0))).verbose(0))[0];
    }

    // ------------------------------------------------------------------ summary

    /** Prints Keras's summary table to standard output. */
    public void summary() {
        summary(System.out::println);
    }

    /** Writes Keras's summary table line by line to {@code printFn} (Keras's {@code print_fn}). */
    public void summary(Consumer<String> printFn) {
        ensureGraph();
        Summary.print(this, printFn);
    }

    /** The summary as one string. */
    public String summaryString() {
        StringBuilder b = new StringBuilder();
        summary(s -> b.append(s).append('\n'));
        return b.toString();
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The loss weights given to {@code compile}, or null. */
    public double[] lossWeights() {
        return lossWeights == null ? null : lossWeights.clone();
    }

    /** The metric identifiers given to {@code compile}, one list per output. */
    public List<List<Object>> compiledMetricIds() {
        return metricIds == null ? List.of() : Collections.unmodifiableList(metricIds);
    }

    /**
     * Keras's {@code Functional.get_config()}: name, trainable, every layer (module, class_name,
     * config, build_config, name, inbound_nodes with {@code __keras_tensor__} arguments), and the
     * input and output layers as {@code [layer_name, node_index, tensor_index]}.
     */
    @Override
    public Map<String, Object> getConfig() {
        ensureGraph();
        Set<Node> own = Collections.newSetFromMap(new IdentityHashMap<>());
        own.addAll(nodes);
        for (KerasTensor t : inputs) own.add(t.node);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name());
        c.put("trainable", trainable());
        List<Object> ls = new ArrayList<>();
        for (Layer l : layers()) {
            List<Object> inbound = new ArrayList<>();
            Object buildShape = null;
            for (Node n : l.inboundNodes) {
                if (!own.contains(n) || n.inputs.isEmpty()) continue;
                List<Object> args = new ArrayList<>();
                List<Object> shapes = new ArrayList<>();
                for (KerasTensor t : n.inputs) {
                    args.add(kerasTensorConfig(t, own));
                    shapes.add(toList(t.shape().dims()));
                }
                if (buildShape == null) buildShape = shapes.size() == 1 ? shapes.get(0) : shapes;
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("args", args.size() == 1 ? args : List.of(args));
                node.put("kwargs", new LinkedHashMap<>());
                inbound.add(node);
            }
            Map<String, Object> lc = org.cornu.core.saving.ModelConfig.serializeLayer(l, buildShape);
            lc.put("name", l.name());
            lc.put("inbound_nodes", inbound);
            ls.add(lc);
        }
        c.put("layers", ls);
        List<Object> in = new ArrayList<>();
        for (KerasTensor t : inputs) in.add(history(t, own));
        List<Object> out = new ArrayList<>();
        for (KerasTensor t : outputs) out.add(history(t, own));
        c.put("input_layers", in.size() == 1 ? in.get(0) : in);
        c.put("output_layers", out.size() == 1 ? out.get(0) : out);
        return c;
    }

    private static Map<String, Object> kerasTensorConfig(KerasTensor t, Set<Node> own) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("shape", toList(t.shape().dims()));
        cfg.put("dtype", Cornu.floatx());
        cfg.put("keras_history", history(t, own));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", "__keras_tensor__");
        m.put("config", cfg);
        return m;
    }

    /** {@code [layer_name, node_index, tensor_index]}, node indices counting only this model's nodes, as Keras. */
    private static List<Object> history(KerasTensor t, Set<Node> own) {
        int idx = 0;
        for (Node n : t.node.layer.inboundNodes) {
            if (n == t.node) break;
            if (own.contains(n)) idx++;
        }
        return new ArrayList<>(List.of(t.node.layer.name(), idx, t.index));
    }

    // ------------------------------------------------------------------ saving

    /**
     * Saves the model in Keras 3's {@code .keras} format (config, compile config, weights and
     * optimizer state), atomically: a failed save leaves an existing file untouched.
     */
    public void save(java.nio.file.Path path) {
        org.cornu.core.saving.Models.save(this, path);
    }

    /** {@link #save(java.nio.file.Path)} with a path string. */
    public void save(String path) {
        save(java.nio.file.Path.of(path));
    }

    /** Saves the weights (and optimizer state) in Keras's {@code .weights.h5} layout. */
    public void saveWeights(java.nio.file.Path path) {
        org.cornu.core.saving.Models.saveWeights(this, path);
    }

    public void saveWeights(String path) {
        saveWeights(java.nio.file.Path.of(path));
    }

    /** Loads weights from a {@code .weights.h5} or {@code .keras} file written for the same architecture. */
    public void loadWeights(java.nio.file.Path path) {
        org.cornu.core.saving.Models.loadWeights(this, path);
    }

    public void loadWeights(String path) {
        loadWeights(java.nio.file.Path.of(path));
    }

    /** The model's serialized config as JSON (Keras's {@code model.to_json()}). */
    public String toJson() {
        return org.cornu.core.saving.Models.toJson(this);
    }

}
