package org.cornu.core.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cornu.core.Cornu;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Loss;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.LossCollector;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.callbacks.History;
import org.cornu.core.kernels.Workspaces;
import org.cornu.core.ops.Ops;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras's {@code Trainer}: {@link #compile}, {@link #fit}, {@link #evaluate}, {@link #predict},
 * the batch methods, and the steps they run. {@link Model} is a trainer over its layer graph.
 *
 * <p>As in Keras 3, a model may override {@link #trainStep} (and {@link #testStep},
 * {@link #predictStep}) to train its own way while {@code fit} keeps the epochs, callbacks,
 * progress bar and {@link History}:
 * <pre>{@code
 * class CustomModel extends Model {
 *     final Mean lossTracker = new Mean("loss");
 *     final MeanAbsoluteError mae = new MeanAbsoluteError("mae");
 *
 *     CustomModel(KerasTensor in, KerasTensor out) { super(in, out); }
 *
 *     @Override public Map<String, Double> trainStep(StepData data) {
 *         List<INDArray> grads;
 *         Tensor yPred, loss;
 *         try (GradientTape tape = new GradientTape()) {
 *             yPred = call(data.x(), true);
 *             loss = mse.compute(data.y(), yPred, null);
 *             grads = tape.gradient(loss, trainableWeights());
 *         }
 *         optimizer().apply(grads, trainableWeights());
 *         lossTracker.updateState(loss.value());
 *         mae.updateState(data.y(), yPred.value(), null);
 *         return Map.of("loss", lossTracker.result(), "mae", mae.result());
 *     }
 *
 *     @Override public List<Metric> metrics() { return List.of(lossTracker, mae); }
 * }
 * model.compile("adam");
 * model.fit(x, y, Fit.epochs(3));
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #predict} (all its overloads, {@link #predictAll},
 * {@link #predictAsMap} and {@link #predictOnBatch}) is thread-safe: several threads may
 * predict with the same model at once, and each gets the result it would get alone (checked
 * with 1,500 concurrent calls over five kinds of model). Training is not: {@link #fit},
 * {@link #trainOnBatch}, {@link #evaluate}, {@link #testOnBatch} and {@link #compile} update
 * the weights, the optimizer's state and the metrics of the model, so call them on one thread
 * at a time per model, and do not predict with a model while it trains on another thread.
 */
public abstract class Trainer extends Layer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private CompileState compiled;
    private volatile boolean stopTraining;
    int resumeEpoch = -1;
    History history;
    /** Batch buffers of the last array fit, for the next one (see {@link Batcher.Leftovers}). */
    private Batcher.Leftovers leftovers = Batcher.Leftovers.NONE;
    private boolean warnedNoGradient;

    /** For {@link Model} only: a trainer is always a model. */
    protected Trainer() {
        if (!(this instanceof Model)) throw new IllegalStateException("Trainer is the base of Model only");
    }

    // ------------------------------------------------------------------ what the graph provides

    /**
     * The symbolic inputs of the model (Keras's {@code model.inputs}).
     *
     * @return the input tensors, in the order the model takes its input arrays
     */
    public abstract List<KerasTensor> inputs();

    /**
     * The symbolic outputs of the model (Keras's {@code model.outputs}).
     *
     * @return the output tensors, in the order the model returns its predictions
     */
    public abstract List<KerasTensor> outputs();

    /**
     * Runs the model on tensors.
     *
     * @param xs one tensor per model input, in {@link #inputs()} order
     * @param training true for training behaviour (e.g. Dropout drops, BatchNormalization uses
     *     the batch statistics), false for inference
     * @return one tensor per model output, in {@link #outputs()} order
     */
    public abstract List<Tensor> forward(List<Tensor> xs, boolean training);

    /**
     * Whether the graph exists (a Sequential without an input shape gets it from the first data).
     *
     * @return true once the model's inputs and outputs are known
     */
    protected abstract boolean isGraphReady();

    /**
     * Builds the graph from the data's shapes if it is not built yet.
     *
     * @param xs the input arrays whose shapes (less the batch axis) fix the input shapes
     */
    protected abstract void ensureGraph(INDArray[] xs);

    /**
     * The model applied to {@code x} as a differentiable tensor (Keras's {@code model(x, training=...)}),
     * for custom training loops under a {@link GradientTape}. Single-input, single-output models.
     *
     * @param x the input batch, of shape {@code (batch, ...input shape)}
     * @param training true for training behaviour (Dropout active, batch statistics), false for inference
     * @return the output tensor, differentiable with respect to the model's weights
     * @throws IllegalStateException if the model has more than one output
     */
    public Tensor call(INDArray x, boolean training) {
        List<Tensor> r = call(new INDArray[] {x}, training);
        if (r.size() != 1) throw new IllegalStateException("Model \"" + name() + "\" has " + r.size() + " outputs; use call(INDArray[], boolean)");
        return r.get(0);
    }

    /**
     * The model applied to several inputs, as a differentiable computation.
     *
     * @param xs one array per model input, in {@link #inputs()} order
     * @param training true for training behaviour, false for inference
     * @return one tensor per model output, in {@link #outputs()} order
     */
    public List<Tensor> call(INDArray[] xs, boolean training) {
        Cornu.chooseThreads();
        ensureGraph(xs);
        return forward(constants(DataAdapter.asFloat(xs)), training);
    }

    // ------------------------------------------------------------------ compile

    /**
     * Configures training. {@code optimizer}: a name ({@code "rmsprop"}) or an {@link Optimizer}
     * (null, as Keras's {@code optimizer=None}, compiles a model that evaluates but cannot be
     * trained); {@code loss}: a name or {@link Loss}, or, for several outputs, a {@code List} in
     * output order or a {@code Map} from output layer name (null compiles without a loss, as
     * Keras allows: the default training and test steps then refuse to run); {@code metrics}:
     * names or {@link Metric}s ({@code "accuracy"} picks binary, categorical or sparse accuracy as
     * Keras does), applied to every output, or one {@code List} per output, or one {@code Map}
     * from output layer name to a metric or a {@code List}. May be called before the model is built.
     *
     * <pre>{@code
     * model.compile(new Adam().learningRate(1e-3), new BinaryCrossentropy(), "accuracy");
     * }</pre>
     *
     * @param optimizer an optimizer name ({@code "rmsprop"}, {@code "adam"}, ...) or an
     *     {@link Optimizer}; null compiles a model that cannot be trained
     * @param loss a loss name or {@link Loss}; for several outputs, a {@code List} in output order
     *     or a {@code Map} by output layer name; null compiles without a loss
     * @param metrics metric names or {@link Metric}s for every output, or one {@code List} per
     *     output, or a {@code Map} by output layer name; none by default
     */
    public void compile(Object optimizer, Object loss, Object... metrics) {
        compile(optimizer, loss, (double[]) null, metrics);
    }

    /**
     * {@link #compile(Object, Object, Object...)} with loss weights keyed by output layer name, as
     * Keras's {@code compile(loss={...}, loss_weights={"priority": 1.0, "department": 0.2})}: the
     * total loss is the weighted sum of the outputs' losses. Every output needs a weight, and every
     * key must name an output. Losses and metrics may be maps by output name too:
     *
     * <pre>{@code
     * model.compile("rmsprop",
     *     Map.of("priority", "mean_squared_error", "department", "categorical_crossentropy"),
     *     Map.of("priority", 1.0, "department", 0.2),
     *     Map.of("priority", List.of("mae"), "department", List.of("accuracy")));
     * }</pre>
     *
     * @param optimizer a name or an {@link Optimizer}
     * @param loss a name, a {@link Loss}, a {@code List} in output order or a {@code Map} by output name
     * @param lossWeights one weight per output, keyed by the output layer's name
     * @param metrics as in {@link #compile(Object, Object, Object...)}
     */
    public void compile(Object optimizer, Object loss, Map<String, ? extends Number> lossWeights, Object... metrics) {
        CompileState c = new CompileState(optimizer, loss, lossWeights, metrics);
        if (isGraphReady()) c.bind(outputs());
        this.compiled = c;
    }

    /**
     * {@link #compile(Object, Object, Object...)} with per-output loss weights (Keras's
     * {@code loss_weights} as a list): the total loss is the sum of the outputs' losses, each
     * multiplied by its weight.
     *
     * @param optimizer an optimizer name or an {@link Optimizer}
     * @param loss a loss name or {@link Loss}, a {@code List} in output order or a {@code Map} by output name
     * @param lossWeights one weight per output, in output order; null weighs every output 1
     * @param metrics as in {@link #compile(Object, Object, Object...)}
     */
    public void compile(Object optimizer, Object loss, double[] lossWeights, Object... metrics) {
        CompileState c = new CompileState(optimizer, loss, lossWeights, metrics);
        if (isGraphReady()) c.bind(outputs()); // a compile that fails leaves the previous state
        this.compiled = c;
    }

    /**
     * Configures an optimizer only, for a model whose {@link #trainStep} computes its own loss
     * (Keras's {@code compile(optimizer="adam")} with a custom {@code train_step}).
     *
     * @param optimizer an optimizer name or an {@link Optimizer}
     */
    public void compile(Object optimizer) {
        CompileState c = new CompileState(optimizer, null, (double[]) null, new Object[0]);
        if (isGraphReady()) c.bind(outputs());
        this.compiled = c;
    }

    /** The compile state, bound to the graph (which must exist); fails if not compiled. */
    CompileState compileState() {
        if (compiled == null) throw new IllegalStateException("You must call compile() before training model \"" + name() + "\"");
        if (!compiled.bound()) compiled.bind(outputs());
        return compiled;
    }

    /** Binds the compile state to the outputs once the graph exists (a no-op before, or when bound). */
    private void bindIfReady() {
        if (!compiled.bound() && isGraphReady()) compiled.bind(outputs());
    }

    /** Fails, naming {@code what}, if the model was not compiled. */
    private void requireCompiled(String what) {
        if (compiled == null) {
            throw new IllegalStateException("You must call compile() before " + what + " on model \"" + name() + "\"");
        }
    }

    /** The compile state for {@code what} on inputs {@code x}: compiled, the graph built from {@code x} if needed, bound. */
    private CompileState compiledFor(String what, INDArray[] x) {
        requireCompiled(what);
        if (x.length > 0 && x[0] != null) ensureGraph(x);
        return compileState();
    }

    /**
     * The optimizer given to {@code compile} (Keras's {@code model.optimizer}).
     *
     * @return the optimizer, or null before compile
     */
    public Optimizer optimizer() {
        return compiled == null ? null : compiled.optimizer;
    }

    /**
     * The compiled losses, one per output.
     *
     * @return the losses in output order; null before compile, or when compiled without a loss
     */
    public List<Loss> losses() {
        if (compiled == null || !compiled.hasLoss()) return null;
        bindIfReady();
        return compiled.losses;
    }

    /**
     * Whether {@code compile} was called (Keras's {@code model.compiled}).
     *
     * @return true after compile
     */
    public boolean isCompiled() {
        return compiled != null;
    }

    /**
     * The arguments given to {@code compile}, as given (what a saved model's {@code compile_config}
     * holds), or null before compile.
     *
     * @return the compile arguments, or null before compile
     */
    public CompileArguments compileArguments() {
        return compiled == null ? null : compiled.arguments();
    }

    /**
     * The loss weights given to {@code compile}.
     *
     * @return a copy of the weights in output order, or null when none were given
     */
    public double[] lossWeights() {
        return compiled == null || compiled.lossWeights == null ? null : compiled.lossWeights.clone();
    }

    /**
     * The metric identifiers given to {@code compile}, one list per output.
     *
     * @return names or {@link Metric}s per output; empty before compile
     */
    public List<List<Object>> compiledMetricIds() {
        if (compiled == null) return List.of();
        bindIfReady();
        return compiled.metricIds == null ? List.of() : Collections.unmodifiableList(compiled.metricIds);
    }

    /**
     * The metrics whose state {@code fit} and {@code evaluate} reset at each epoch and evaluation
     * (Keras's {@code model.metrics}): the loss trackers, then the compiled metrics. A model with
     * its own {@link #trainStep} returns its trackers here.
     *
     * @return the metrics to reset; empty before compile
     */
    public List<Metric> metrics() {
        return compiled == null ? List.of() : compiled.all();
    }

    /**
     * Names of the values {@link #evaluate} returns (Keras's {@code model.metrics_names}).
     *
     * @return {@code "loss"}, then per-output losses of a multi-output model, then the metrics
     */
    public List<String> metricsNames() {
        if (compiled != null && !StepCompiler.overrides(this, "trainStep", StepData.class)) {
            bindIfReady();
            if (compiled.bound()) return compiled.names();
        }
        List<String> n = new ArrayList<>();
        for (Metric m : metrics()) n.add(m.name());
        return n.isEmpty() ? List.of("loss") : n;
    }

    /**
     * Asks {@code fit} to stop after the current batch (Keras's {@code model.stop_training = True}).
     *
     * @param stop true to stop; {@code fit} resets it to false when it starts
     */
    public void stopTraining(boolean stop) {
        this.stopTraining = stop;
    }

    /**
     * Whether a callback asked {@code fit} to stop (Keras's {@code model.stop_training}).
     *
     * @return true once stopping was requested
     */
    public boolean stopTraining() {
        return stopTraining;
    }

    /**
     * Makes the {@code fit} that is starting begin at {@code epoch} (0-based) instead of its
     * {@code initialEpoch}; for callbacks' {@code onTrainBegin} that resume an interrupted run
     * ({@link org.cornu.core.callbacks.BackupAndRestore}).
     *
     * @param epoch the 0-based epoch to resume at
     */
    public void resumeFromEpoch(int epoch) {
        this.resumeEpoch = epoch;
    }

    /**
     * The {@link History} of the last {@code fit} (Keras's {@code model.history}).
     *
     * @return the history, or null before the first fit
     */
    public History history() {
        return history;
    }

    Batcher.Leftovers takeLeftovers() {
        Batcher.Leftovers l = leftovers;
        // taken: a fit started meanwhile (from a callback) gets none of them
        leftovers = Batcher.Leftovers.NONE;
        return l;
    }

    void keepLeftovers(Batcher.Leftovers l) {
        leftovers = l;
    }

    // ------------------------------------------------------------------ steps

    /**
     * One training step on one batch (Keras's {@code train_step}): forward pass under a
     * {@link GradientTape}, {@link #computeLoss}, gradients, one optimizer update, metrics;
     * returns the logs ({@code loss}, per-output losses, metrics) after the step. Override it to
     * train your own way; {@code fit} then runs it for every batch.
     *
     * @param data the batch: inputs, targets and optional sample weights
     * @return the logs after this step: metric name to value
     */
    public Map<String, Double> trainStep(StepData data) {
        CompileState c = compileState();
        requireLoss(c, "trainStep");
        List<Weight> tws = trainableWeights();
        double[] lossVals = new double[c.outputCount() + 1];
        try (MemoryWorkspace ws = Workspaces.step(Workspaces.TRAIN)) {
            List<INDArray> grads = new ArrayList<>();
            List<Tensor> outs = lossGradients(c, data, tws, lossVals, true, grads);
            applyGradients(c.trainingOptimizer(), grads, tws);
            c.updateMetrics(data.ys(), values(outs));
        }
        c.trackLoss(lossVals, data.size());
        return StepCompiler.stepLogs(c, lossVals[0]);
    }

    /**
     * The forward pass under a tape, the batch's loss (into {@code lossVals}, total first) and its
     * gradients with respect to {@code tws} (into {@code grads}); the weights' regularization
     * losses are included when {@code regularize}. Returns the outputs.
     */
    private List<Tensor> lossGradients(CompileState c, StepData data, List<Weight> tws, double[] lossVals, boolean regularize,
                                       List<INDArray> grads) {
        try (GradientTape tape = new GradientTape(tws)) {
            LossCollector.start();
            List<Tensor> outs = forward(constants(data.xs()), true);
            Tensor total = totalLoss(c, outs, data.ys(), data.sampleWeight(), LossCollector.finish(), lossVals, regularize);
            lossVals[0] = total.value().getDouble(0);
            grads.addAll(tape.gradient(total, tws));
            return outs;
        } finally {
            LossCollector.finish();
        }
    }

    /** Applies the gradients that exist; a trainable weight without one is skipped with a warning, as Keras's fit does. */
    private void applyGradients(Optimizer opt, List<INDArray> grads, List<Weight> tws) {
        if (!grads.contains(null)) {
            opt.apply(grads, tws);
            return;
        }
        List<INDArray> g = new ArrayList<>();
        List<Weight> w = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < tws.size(); i++) {
            if (grads.get(i) == null) {
                missing.add(tws.get(i).path());
            } else {
                g.add(grads.get(i));
                w.add(tws.get(i));
            }
        }
        if (!warnedNoGradient) {
            warnedNoGradient = true;
            LOG.warn("Gradients do not exist for variables {} when minimizing the loss of model \"{}\"; they are not trained.",
                    missing, name());
        }
        if (!w.isEmpty()) opt.apply(g, w);
    }

    private void requireLoss(CompileState c, String step) {
        if (!c.hasLoss()) {
            throw new IllegalStateException("Model \"" + name() + "\" was compiled without a loss, so the default " + step
                    + " cannot compute one: pass a loss to compile(), or override " + step + "(StepData)");
        }
    }

    /**
     * The loss of a batch (Keras's {@code compute_loss}): the compiled losses of every output,
     * weighted by the loss weights, plus the weights' regularization losses and the activity
     * regularization losses {@code extra} collected during the forward pass (may be empty).
     *
     * @param ys the targets, one array per output
     * @param yPred the predictions, one tensor per output
     * @param sampleWeight per-sample weights of shape {@code (batch,)}, or null for equal weights
     * @param extra further loss terms to add, such as activity regularization (may be empty)
     * @return the scalar total loss, differentiable with respect to the weights
     */
    public Tensor computeLoss(INDArray[] ys, List<Tensor> yPred, INDArray sampleWeight, List<Tensor> extra) {
        CompileState c = compileState();
        requireLoss(c, "computeLoss");
        return totalLoss(c, yPred, ys, sampleWeight, extra, new double[c.outputCount() + 1], true);
    }

    /** The compiled losses, weighted, plus {@code extra}, plus the weights' regularization losses when {@code regularize}. */
    private Tensor totalLoss(CompileState c, List<Tensor> outs, INDArray[] yb, INDArray swb, List<Tensor> extra, double[] lossVals,
                             boolean regularize) {
        Tensor total = null;
        for (int i = 0; i < outs.size(); i++) {
            Tensor li = c.losses.get(i).compute(yb[i], outs.get(i), swb);
            if (outs.size() > 1) lossVals[i + 1] = li.value().getDouble(0);
            if (c.lossWeights != null) li = Ops.mulScalar(li, c.lossWeights[i]);
            total = total == null ? li : Ops.add(total, li);
        }
        for (Weight w : regularize ? weights() : List.<Weight>of()) {
            if (w.regularizer() != null) total = Ops.add(total, reshapeScalar(w.regularizer().apply(w.tensor()), total));
        }
        for (Tensor e : extra) total = Ops.add(total, reshapeScalar(e, total));
        return total;
    }

    private static Tensor reshapeScalar(Tensor t, Tensor like) {
        return Arrays.equals(t.shape(), like.shape()) ? t : Ops.reshape(t, like.shape());
    }

    /** The arrays as constant tensors (model inputs: no gradient flows to them). */
    private static List<Tensor> constants(INDArray[] xs) {
        List<Tensor> r = new ArrayList<>(xs.length);
        for (INDArray x : xs) r.add(Tensor.constant(x));
        return r;
    }

    private static INDArray[] values(List<Tensor> ts) {
        INDArray[] r = new INDArray[ts.size()];
        for (int i = 0; i < r.length; i++) r[i] = ts.get(i).value();
        return r;
    }

    /**
     * One evaluation step (Keras's {@code test_step}): forward pass in inference mode, loss, metrics.
     *
     * @param data the batch: inputs, targets and optional sample weights
     * @return the logs after this step: metric name to value
     */
    public Map<String, Double> testStep(StepData data) {
        CompileState c = compileState();
        requireLoss(c, "testStep");
        double[] lossVals = new double[c.outputCount() + 1];
        try (MemoryWorkspace ws = Workspaces.step(Workspaces.TEST)) {
            List<Tensor> ins = constants(data.xs());
            LossCollector.start();
            List<Tensor> outs;
            List<Tensor> extra;
            try {
                outs = forward(ins, false);
            } finally {
                extra = LossCollector.finish();
            }
            Tensor total = totalLoss(c, outs, data.ys(), data.sampleWeight(), extra, lossVals, true);
            lossVals[0] = total.value().getDouble(0);
            c.updateMetrics(data.ys(), values(outs));
        }
        c.trackLoss(lossVals, data.size());
        return StepCompiler.stepLogs(c, lossVals[0]);
    }

    /**
     * One prediction step (Keras's {@code predict_step}): a forward pass in inference mode.
     *
     * @param data the batch (only its inputs are used)
     * @return the predictions, one array per output
     */
    public INDArray[] predictStep(StepData data) {
        return values(forward(constants(data.xs()), false));
    }

    // ------------------------------------------------------------------ data-parallel seam

    /**
     * The training step of one slice of a global batch, without its update: at the current
     * weights, the loss summed over the slice's samples and its gradients with respect to
     * {@link #trainableWeights()}, summed likewise; the compiled metrics are updated with the
     * slice's predictions (their state, not reset here, is the caller's to read). Data-parallel
     * training (Keras's {@code MultiWorkerMirroredStrategy}; Cornu's Spark trainer) runs it on
     * each worker's slice, adds the sums, divides by the global batch size, adds
     * {@link #regularizationGradients()} once and applies the optimizer once, which is what
     * {@link #trainStep} computes on one machine, because the compiled losses are means over the
     * batch ({@code sum_over_batch_size}) and activity regularization is divided by the batch size.
     * The weights' own regularization losses are left out (they do not grow with the data).
     * BatchNormalization's batch statistics are the slice's; Dropout draws its own masks.
     *
     * @param data the slice: inputs, targets and optional sample weights
     * @return the summed losses and float64 gradient sums of the slice
     * @throws IllegalStateException if the model is not compiled or was compiled without a loss
     */
    public GradientSums gradientSums(StepData data) {
        Cornu.chooseThreads();
        CompileState c = compiledFor("gradientSums()", data.xs());
        requireLoss(c, "gradientSums");
        c.resolveMetrics(data.ys(), outputs());
        List<Weight> tws = trainableWeights();
        int n = data.size();
        double[] lossVals = new double[c.outputCount() + 1];
        List<INDArray> sums = new ArrayList<>(tws.size());
        try (MemoryWorkspace ws = Workspaces.step(Workspaces.TRAIN)) {
            List<INDArray> grads = new ArrayList<>();
            List<Tensor> outs = lossGradients(c, data, tws, lossVals, false, grads);
            try (MemoryWorkspace out = Workspaces.outside()) {
                for (INDArray g : grads) sums.add(g == null ? null : g.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).muli(n));
            }
            c.updateMetrics(data.ys(), values(outs));
        }
        for (int i = 0; i < lossVals.length; i++) lossVals[i] *= n;
        return new GradientSums(n, lossVals, sums);
    }

    /**
     * The part of a training step's loss that {@link #gradientSums} leaves out: the weights'
     * regularization losses and their float64 gradients at the current weights (count 0; null
     * gradients for weights without a regularizer). A data-parallel step adds it once to the
     * batch's mean loss and mean gradient.
     *
     * @return the regularization loss (index 0 of {@code lossSums}) and its gradients
     */
    public GradientSums regularizationGradients() {
        List<Weight> tws = trainableWeights();
        int outputsPlusOne = compiled != null && compiled.bound() ? compiled.outputCount() + 1 : 1;
        double[] loss = new double[outputsPlusOne];
        List<INDArray> sums = new ArrayList<>(Collections.nCopies(tws.size(), (INDArray) null));
        boolean any = false;
        for (Weight w : weights()) any |= w.regularizer() != null;
        if (!any) return new GradientSums(0, loss, sums);
        try (MemoryWorkspace ws = Workspaces.step(Workspaces.TRAIN)) {
            List<INDArray> grads;
            try (GradientTape tape = new GradientTape(tws)) {
                Tensor total = null;
                for (Weight w : weights()) {
                    if (w.regularizer() == null) continue;
                    Tensor r = w.regularizer().apply(w.tensor());
                    total = total == null ? r : Ops.add(total, reshapeScalar(r, total));
                }
                loss[0] = total.value().getDouble(0);
                grads = tape.gradient(total, tws);
            }
            try (MemoryWorkspace out = Workspaces.outside()) {
                for (int i = 0; i < grads.size(); i++) {
                    if (grads.get(i) != null) sums.set(i, grads.get(i).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
                }
            }
        }
        return new GradientSums(0, loss, sums);
    }

    // ------------------------------------------------------------------ fit

    /**
     * Trains a single-input, single-output model for a fixed number of epochs (Keras's
     * {@code model.fit(x, y, ...)}). Not thread-safe (see the class documentation).
     *
     * <pre>{@code
     * History h = model.fit(x, y, Fit.epochs(10).batchSize(64).validationSplit(0.2));
     * }</pre>
     *
     * @param x the inputs, of shape {@code (samples, ...input shape)}
     * @param y the targets, with as many samples as {@code x}
     * @param options epochs, batch size, validation, callbacks and the rest; see {@link FitOptions}
     * @return the {@link History}: the loss and metrics of every epoch
     */
    public History fit(INDArray x, INDArray y, FitOptions options) {
        return fit(new INDArray[] {x}, new INDArray[] {y}, options);
    }

    /**
     * Trains for one epoch at batch size 32, shuffling, with the progress bar.
     *
     * @param x the inputs, of shape {@code (samples, ...input shape)}
     * @param y the targets, with as many samples as {@code x}
     * @return the {@link History} of the epoch
     */
    public History fit(INDArray x, INDArray y) {
        return fit(x, y, new FitOptions());
    }

    /**
     * Trains a model with several inputs or outputs.
     *
     * @param x one array per model input, in {@link #inputs()} order
     * @param y one array per model output, in {@link #outputs()} order
     * @param o epochs, batch size, validation, callbacks and the rest; see {@link FitOptions}
     * @return the {@link History}: the loss and metrics of every epoch
     */
    public History fit(INDArray[] x, INDArray[] y, FitOptions o) {
        Cornu.chooseThreads();
        CompileState c = compiledFor("fit()", x);
        INDArray[] xs = DataAdapter.asFloat(x);
        INDArray[] ys = y.clone();
        DataAdapter.checkCardinality(name(), inputs(), outputs(), c.losses, xs, ys, o.sampleWeight);
        DataAdapter.requireNonEmpty("fit", xs);
        INDArray sw = o.sampleWeight;
        if (o.classWeight != null) sw = DataAdapter.combine(sw, DataAdapter.classWeights(ys[0], o.classWeight));
        long n = xs[0].size(0);

        INDArray[] vx = null, vy = null;
        INDArray vsw = null;
        if (o.validationX != null) {
            vx = DataAdapter.asFloat(o.validationX);
            vy = o.validationY;
            vsw = o.validationSampleWeight;
            DataAdapter.checkCardinality(name(), inputs(), outputs(), c.losses, vx, vy, vsw);
            DataAdapter.requireNonEmpty("fit (validation_data)", vx);
        } else if (o.validationSplit > 0) {
            long splitAt = DataAdapter.splitAt(n, o.validationSplit);
            vx = DataAdapter.slice(xs, splitAt, n);
            vy = DataAdapter.slice(ys, splitAt, n);
            vsw = sw == null ? null : DataAdapter.rows(sw, splitAt, n);
            xs = DataAdapter.slice(xs, 0, splitAt);
            ys = DataAdapter.slice(ys, 0, splitAt);
            sw = sw == null ? null : DataAdapter.rows(sw, 0, splitAt);
        }
        c.resolveMetrics(ys, outputs());
        int bs = o.batchSize;
        int vbs = o.validationBatchSize > 0 ? o.validationBatchSize : bs;
        StepCompiler.Steps train = StepCompiler.train(this, xs, ys, sw, bs, o.shuffle, vbs == bs ? vx : null);
        int steps = train.count();
        if (o.stepsPerEpoch != null) steps = Math.min(steps, o.stepsPerEpoch);
        final INDArray[] fvx = vx, fvy = vy;
        final INDArray fvsw = vsw;
        StepCompiler.Steps[] val = {null};
        Supplier<Map<String, Double>> validation = vx == null ? null : () -> {
            if (val[0] == null) val[0] = StepCompiler.test(this, fvx, fvy, fvsw, vbs);
            return EpochLoop.evaluate(this, val[0], List.of(), 0);
        };
        try {
            return EpochLoop.fit(this, o, steps, train, validation);
        } finally {
            train.finish();
        }
    }

    /**
     * Trains a model whose inputs and targets are given by name, as Keras's
     * {@code fit({"title": x1, "body": x2}, {"priority": y1, "department": y2})}: inputs keyed by
     * the names of the model's {@link org.cornu.core.Input} layers, targets by the names of its output layers.
     *
     * @param x one array per model input, by input name
     * @param y one array per model output, by output layer name
     * @param o the fit options
     * @return the training history
     * @throws IllegalArgumentException when a name is missing or names no input or output
     */
    public History fit(Map<String, INDArray> x, Map<String, INDArray> y, FitOptions o) {
        return fit(byName(x, "input", inputNames()), byName(y, "output", outputNames()), o);
    }

    /**
     * Trains on a stream of batches, as Keras's {@code fit(generator, steps_per_epoch=...)}: each
     * element is {@code {x, y}} or {@code {x, y, sampleWeight}} (with several inputs or outputs, the
     * inputs, then the targets, then optionally the weights). {@code stepsPerEpoch} is required;
     * a validation stream is given with {@link FitOptions#validationData(Iterator, int)}.
     *
     * @param batches the batches, read {@code stepsPerEpoch} at a time per epoch
     * @param o the fit options, with {@code stepsPerEpoch} set
     * @return the {@link History}: the loss and metrics of every epoch
     * @throws IllegalArgumentException without {@code stepsPerEpoch}, or with a validation split
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
        INDArray[][] first = {DataAdapter.nextBatch(batches, "training")};
        int ni = isGraphReady() ? inputs().size() : 1;
        ensureGraph(Arrays.copyOf(first[0], ni));
        CompileState c = compileState();
        c.resolveMetrics(Arrays.copyOfRange(first[0], inputs().size(), inputs().size() + outputs().size()), outputs());
        StepCompiler.Steps source = new StepCompiler.Steps() {
            public int[] newEpoch() {
                return null;
            }

            public Map<String, Double> step(int[] order, int step) {
                INDArray[] b = first[0] != null ? first[0] : DataAdapter.nextBatch(batches, "training");
                first[0] = null;
                return trainStep(DataAdapter.parts(name(), inputs(), outputs(), c.losses, b));
            }

            public int count() {
                return o.stepsPerEpoch;
            }
        };
        Supplier<Map<String, Double>> validation = o.validationStream == null ? null
                : () -> evaluateStream(o.validationStream, o.validationSteps);
        return EpochLoop.fit(this, o, o.stepsPerEpoch, source, validation);
    }

    /** Loss and metrics over {@code steps} batches of a stream (validation of a stream {@code fit}). */
    private Map<String, Double> evaluateStream(Iterator<INDArray[]> it, int steps) {
        CompileState c = compileState();
        StepCompiler.Steps s = new StepCompiler.Steps() {
            public int[] newEpoch() {
                return null;
            }

            public Map<String, Double> step(int[] order, int step) {
                return testStep(DataAdapter.parts(name(), inputs(), outputs(), c.losses, DataAdapter.nextBatch(it, "validation")));
            }

            public int count() {
                return steps;
            }
        };
        return EpochLoop.evaluate(this, s, List.of(), 0);
    }

    // ------------------------------------------------------------------ evaluate / predict

    /**
     * The loss and metrics of the model on test data, in batches of 32 with the progress bar
     * (Keras's {@code model.evaluate(x, y)}).
     *
     * @param x the inputs, of shape {@code (samples, ...input shape)}
     * @param y the targets, with as many samples as {@code x}
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] evaluate(INDArray x, INDArray y) {
        return evaluate(new INDArray[] {x}, new INDArray[] {y}, new RunOptions());
    }

    /**
     * The loss and metrics of a single-input, single-output model on test data.
     *
     * @param x the inputs, of shape {@code (samples, ...input shape)}
     * @param y the targets, with as many samples as {@code x}
     * @param o batch size (32), verbosity (1), callbacks, sample weights
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] evaluate(INDArray x, INDArray y, RunOptions o) {
        return evaluate(new INDArray[] {x}, new INDArray[] {y}, o);
    }

    /**
     * The loss and metrics of a model with several inputs or outputs on test data.
     *
     * @param x one array per model input, in {@link #inputs()} order
     * @param y one array per model output, in {@link #outputs()} order
     * @param o batch size (32), verbosity (1), callbacks, sample weights
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] evaluate(INDArray[] x, INDArray[] y, RunOptions o) {
        return StepCompiler.values(evaluateAsMap(x, y, o));
    }

    /**
     * {@link #evaluate} as a map from metric name to value (Keras's {@code return_dict=True}).
     *
     * @param x one array per model input, in {@link #inputs()} order
     * @param y one array per model output, in {@link #outputs()} order
     * @param o batch size (32), verbosity (1), callbacks, sample weights
     * @return metric name to value, in {@link #metricsNames()} order
     */
    public Map<String, Double> evaluateAsMap(INDArray[] x, INDArray[] y, RunOptions o) {
        Cornu.chooseThreads();
        CompileState c = compiledFor("evaluate()", x);
        INDArray[] xs = DataAdapter.asFloat(x);
        DataAdapter.checkCardinality(name(), inputs(), outputs(), c.losses, xs, y, o.sampleWeight);
        DataAdapter.requireNonEmpty("evaluate", xs);
        c.resolveMetrics(y, outputs());
        return EpochLoop.evaluate(this, StepCompiler.test(this, xs, y, o.sampleWeight, o.batchSize), o.callbacks, o.verbose);
    }

    /**
     * {@link #evaluate(INDArray[], INDArray[], RunOptions)} with inputs and targets keyed by input
     * and output layer name.
     *
     * @param x one array per model input, by input name
     * @param y one array per model output, by output layer name
     * @param o batch size, verbosity, callbacks, sample weights
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] evaluate(Map<String, INDArray> x, Map<String, INDArray> y, RunOptions o) {
        return evaluate(byName(x, "input", inputNames()), byName(y, "output", outputNames()), o);
    }

    /**
     * {@link #evaluateAsMap(INDArray[], INDArray[], RunOptions)} with inputs and targets keyed by
     * input and output layer name.
     *
     * @param x one array per model input, by input name
     * @param y one array per model output, by output layer name
     * @param o batch size, verbosity, callbacks, sample weights
     * @return metric name to value
     */
    public Map<String, Double> evaluateAsMap(Map<String, INDArray> x, Map<String, INDArray> y, RunOptions o) {
        return evaluateAsMap(byName(x, "input", inputNames()), byName(y, "output", outputNames()), o);
    }

    /**
     * Predicts from inputs keyed by input name and returns the outputs keyed by output layer name
     * (in the model's output order), as Keras returns a dict for a model whose outputs are named.
     *
     * @param x one array per model input, by input name
     * @param o batch size (32), verbosity, callbacks
     * @return output layer name to predictions
     */
    public Map<String, INDArray> predictAsMap(Map<String, INDArray> x, RunOptions o) {
        return predictAsMap(byName(x, "input", inputNames()), o);
    }

    /**
     * {@link #predictAsMap(Map, RunOptions)} in batches of 32, silently.
     *
     * @param x one array per model input, by input name
     * @return output layer name to predictions
     */
    public Map<String, INDArray> predictAsMap(Map<String, INDArray> x) {
        return predictAsMap(x, new RunOptions().verbose(0));
    }

    /**
     * {@link #predictAll} with the outputs keyed by output layer name, in the model's output order.
     *
     * @param x one array per model input, in {@link #inputs()} order
     * @param o batch size (32), verbosity, callbacks
     * @return output layer name to predictions
     */
    public Map<String, INDArray> predictAsMap(INDArray[] x, RunOptions o) {
        INDArray[] p = predictAll(x, o);
        List<String> names = outputNames();
        Map<String, INDArray> r = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) r.put(names.get(i), p[i]);
        return r;
    }

    /** The names of the model's inputs (their {@code InputLayer}s), in {@link #inputs()} order. */
    private List<String> inputNames() {
        requireGraph("inputs by name");
        List<String> r = new ArrayList<>();
        for (KerasTensor t : inputs()) r.add(t.layer().name());
        return r;
    }

    /** The names of the model's output layers, in {@link #outputs()} order. */
    private List<String> outputNames() {
        requireGraph("outputs by name");
        List<String> r = new ArrayList<>();
        for (KerasTensor t : outputs()) r.add(t.layer().name());
        return r;
    }

    private void requireGraph(String what) {
        if (!isGraphReady()) {
            throw new IllegalStateException("Model \"" + name() + "\" has no inputs yet, so it cannot take " + what
                    + ": build it first (give its first layer an input shape)");
        }
    }

    /** The arrays of {@code data} in the order of {@code names}; Keras's errors for a missing or unknown key. */
    private INDArray[] byName(Map<String, INDArray> data, String kind, List<String> names) {
        if (data == null) return null;
        for (String k : data.keySet()) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException("Model \"" + name() + "\": the " + kind + " data dictionary has key '" + k
                        + "', which names no model " + kind + ". Expected the following keys: " + names);
            }
        }
        INDArray[] r = new INDArray[names.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = data.get(names.get(i));
            if (r[i] == null) {
                throw new IllegalArgumentException("Model \"" + name() + "\": missing data for " + kind + " \"" + names.get(i)
                        + "\". You passed a data dictionary with keys " + data.keySet() + ". Expected the following keys: " + names);
            }
        }
        return r;
    }

    /**
     * Predicts a single-input, single-output model in batches of 32, silently (Keras's
     * {@code model.predict(x)}). Thread-safe (see the class documentation).
     *
     * @param x the inputs, of shape {@code (samples, ...input shape)}
     * @return the predictions, one row per sample
     */
    public INDArray predict(INDArray x) {
        return predict(x, 32);
    }

    /**
     * Predicts a single-input, single-output model in batches of {@code batchSize}, silently.
     *
     * @param x the inputs, of shape {@code (samples, ...input shape)}
     * @param batchSize the number of samples per forward pass
     * @return the predictions, one row per sample
     */
    public INDArray predict(INDArray x, int batchSize) {
        return predictAll(new INDArray[] {x}, new RunOptions().batchSize(batchSize).verbose(0))[0];
    }

    /**
     * Predicts a single-input, single-output model.
     *
     * @param x the inputs, of shape {@code (samples, ...input shape)}
     * @param o batch size (32), verbosity, callbacks
     * @return the predictions, one row per sample
     */
    public INDArray predict(INDArray x, RunOptions o) {
        return predictAll(new INDArray[] {x}, o)[0];
    }

    /**
     * Predicts all outputs of a model with several inputs or outputs.
     *
     * @param x one array per model input, in {@link #inputs()} order
     * @param o batch size (32), verbosity, callbacks
     * @return one array of predictions per output, in {@link #outputs()} order
     */
    public INDArray[] predictAll(INDArray[] x, RunOptions o) {
        Cornu.chooseThreads();
        if (x.length > 0 && x[0] != null) ensureGraph(x);
        INDArray[] xs = DataAdapter.asFloat(x);
        DataAdapter.checkCardinality(name(), inputs(), outputs(), null, xs, null, null);
        DataAdapter.requireNonEmpty("predict", xs);
        return StepCompiler.predict(this, xs, o.batchSize, o.callbacks);
    }

    /**
     * One gradient update on a single batch (Keras's {@code train_on_batch}); the metrics are
     * reset first, so they describe this batch only.
     *
     * @param x the batch inputs
     * @param y the batch targets
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] trainOnBatch(INDArray x, INDArray y) {
        return trainOnBatch(new INDArray[] {x}, new INDArray[] {y}, null);
    }

    /**
     * One gradient update on a single batch of a model with several inputs or outputs.
     *
     * @param x one array per model input
     * @param y one array per model output
     * @param sampleWeight per-sample weights of shape {@code (batch,)}, or null
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] trainOnBatch(INDArray[] x, INDArray[] y, INDArray sampleWeight) {
        Cornu.chooseThreads();
        CompileState c = compiledFor("trainOnBatch()", x);
        INDArray[] xs = DataAdapter.asFloat(x);
        DataAdapter.checkCardinality(name(), inputs(), outputs(), c.losses, xs, y, sampleWeight);
        DataAdapter.requireNonEmpty("trainOnBatch", xs);
        c.resolveMetrics(y, outputs());
        for (Metric m : metrics()) m.resetState();
        StepCompiler.Steps s = StepCompiler.train(this, xs, y, sampleWeight, (int) xs[0].size(0), false, null);
        try {
            return StepCompiler.values(EpochLoop.ordered(this, s.step(null, 0)));
        } finally {
            s.finish();
        }
    }

    /**
     * The loss and metrics of a single batch, without updating the weights (Keras's
     * {@code test_on_batch}).
     *
     * @param x the batch inputs
     * @param y the batch targets
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] testOnBatch(INDArray x, INDArray y) {
        return testOnBatch(new INDArray[] {x}, new INDArray[] {y}, null);
    }

    /**
     * The loss and metrics of a single batch of a model with several inputs or outputs.
     *
     * @param x one array per model input
     * @param y one array per model output
     * @param sampleWeight per-sample weights of shape {@code (batch,)}, or null
     * @return the loss, then the metrics, in {@link #metricsNames()} order
     */
    public double[] testOnBatch(INDArray[] x, INDArray[] y, INDArray sampleWeight) {
        Cornu.chooseThreads();
        CompileState c = compiledFor("testOnBatch()", x);
        INDArray[] xs = DataAdapter.asFloat(x);
        DataAdapter.checkCardinality(name(), inputs(), outputs(), c.losses, xs, y, sampleWeight);
        DataAdapter.requireNonEmpty("testOnBatch", xs);
        c.resolveMetrics(y, outputs());
        for (Metric m : metrics()) m.resetState();
        return StepCompiler.values(EpochLoop.ordered(this, StepCompiler.test(this, xs, y, sampleWeight, (int) xs[0].size(0)).step(null, 0)));
    }

    /**
     * Predicts a single batch in one forward pass (Keras's {@code predict_on_batch}).
     *
     * @param x the batch inputs
     * @return the predictions for the batch
     */
    public INDArray predictOnBatch(INDArray x) {
        return predictAll(new INDArray[] {x}, new RunOptions().batchSize((int) Math.max(1, x.size(0))).verbose(0))[0];
    }
}
