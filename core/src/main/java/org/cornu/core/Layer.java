package org.cornu.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.regularizers.Regularizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.autodiff.LossCollector;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.kernels.Workspaces;

/**
 * Base of all layers, with Keras's life cycle: the constructor keeps the configuration;
 * {@link #build} creates weights with {@link #addWeight}; {@link #call} computes with
 * differentiable {@link Ops}; {@link #computeOutputShape} and {@link #getConfig} describe
 * the layer. Layers are applied to symbolic {@link KerasTensor}s to build functional
 * models ({@link #apply(KerasTensor...)}) or to arrays for eager use ({@link #apply(INDArray)}).
 */
public abstract class Layer {
    static {
        org.cornu.core.Cornu.init();
    }
    private String name;
    private boolean nameSet;
    /** Whether {@link #build} has run (Keras's {@code layer.built}); a layer builds once, on first use. */
    protected boolean built;
    private boolean trainable = true;
    private long[] batchInputShape;
    private Regularizer activityRegularizer;
    private final List<Weight> weights = new ArrayList<>();
    final List<Node> inboundNodes = new ArrayList<>();

    /** Expected rank ({@code ndim}) of input 0; -1 for any. */
    protected int inputNdim = -1;
    /** Minimum rank of input 0; -1 for none. */
    protected int inputMinNdim = -1;
    /** Required sizes of input 0's axes (negative axes count from the end). */
    protected final Map<Integer, Long> inputAxes = new LinkedHashMap<>();

    /** Base constructor: a subclass's constructor keeps its configuration; weights come in {@link #build}. */
    protected Layer() {}

    // ------------------------------------------------------------------ configuration

    /**
     * The layer's name (Keras's {@code layer.name}); unique by default: the class name in snake case,
     * then {@code _1}, {@code _2}, ... ({@code dense}, {@code dense_1}, ...).
     *
     * @return the name
     */
    public String name() {
        if (name == null) name = Cornu.uniqueName(defaultNamePrefix());
        return name;
    }

    /**
     * Names the layer (Keras's {@code name}; by default a unique name from the class name).
     *
     * @param <T> the layer's own type, so that setters chain
     * @param n the name: not empty, without {@code '/'}
     * @return this layer
     * @throws IllegalArgumentException for an empty name or one with {@code '/'}
     */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T name(String n) {
        if (n == null || n.isEmpty() || n.contains("/")) {
            throw new IllegalArgumentException("Invalid layer name '" + n + "': it must be non-empty and must not contain '/'");
        }
        this.name = n;
        this.nameSet = true;
        return (T) this;
    }

    /**
     * Prefix of automatic names: the class name in snake case.
     *
     * @return the prefix, e.g. {@code "batch_normalization"}
     */
    protected String defaultNamePrefix() {
        return Cornu.toSnakeCase(getClass().getSimpleName());
    }

    /**
     * Declares the per-sample input shape, without the batch axis (Keras's {@code input_shape}), as
     * the first layer of a {@link Sequential}; none by default.
     *
     * <pre>{@code
     * Sequential model = new Sequential(new Dense(32).inputShape(784), new Dense(10));
     * }</pre>
     *
     * @param <T> the layer's own type, so that setters chain
     * @param shape the sizes of the sample's axes
     * @return this layer
     */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T inputShape(long... shape) {
        long[] b = new long[shape.length + 1];
        b[0] = Shape.NONE;
        System.arraycopy(shape, 0, b, 1, shape.length);
        this.batchInputShape = b;
        return (T) this;
    }

    /**
     * Same as {@link #inputShape} for a 1-D input: Keras's {@code input_dim}.
     *
     * @param <T> the layer's own type, so that setters chain
     * @param dim the number of features per sample
     * @return this layer
     */
    public <T extends Layer> T inputDim(long dim) {
        return inputShape(dim);
    }

    /**
     * The declared input shape with its batch axis (Keras's {@code batch_input_shape}).
     *
     * @return a copy, batch axis {@link Shape#NONE}; null when no input shape was declared
     */
    public long[] batchInputShape() {
        return batchInputShape == null ? null : batchInputShape.clone();
    }

    /**
     * Whether the layer's weights are trained (Keras's {@code layer.trainable}, default true).
     *
     * @return false when the layer is frozen
     */
    public boolean trainable() {
        return trainable;
    }

    /**
     * Freezes ({@code false}) or unfreezes the layer's weights (Keras's {@code trainable}, default
     * true); a frozen layer's weights all count as non-trainable. Compile again after changing it.
     *
     * @param <T> the layer's own type, so that setters chain
     * @param t false to freeze
     * @return this layer
     */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T trainable(boolean t) {
        this.trainable = t;
        return (T) this;
    }

    /**
     * A penalty on the layer's output, added to the loss (Keras's {@code activity_regularizer}, none
     * by default), divided by the batch size.
     *
     * @param <T> the layer's own type, so that setters chain
     * @param reg a name ({@code "l2"}) or a {@link Regularizer}; null for none
     * @return this layer
     */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T activityRegularizer(Object reg) {
        this.activityRegularizer = Registry.regularizer(reg);
        return (T) this;
    }

    /**
     * The penalty on the layer's output (Keras's {@code activity_regularizer}).
     *
     * @return the regularizer, or null for none
     */
    public Regularizer activityRegularizer() {
        return activityRegularizer;
    }

    /**
     * Whether the layer has created its weights (Keras's {@code layer.built}).
     *
     * @return true after {@link #build}
     */
    public boolean isBuilt() {
        return built;
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Creates the layer's weights for inputs of {@code inputShape} (Keras's {@code build}); run once,
     * on first use. Layers with weights override it and call {@link #addWeight}.
     *
     * @param inputShape the input shape, batch axis unknown
     */
    public void build(Shape inputShape) {
        built = true;
    }

    /**
     * Builds from several input shapes; single-input layers use the first.
     *
     * @param inputShapes one shape per input, batch axes unknown
     */
    public void build(List<Shape> inputShapes) {
        build(inputShapes.get(0));
    }

    /**
     * The layer's computation on one input (Keras's {@code call}), with differentiable {@link Ops}.
     * Single-input layers override it.
     *
     * @param input the input batch
     * @param training true in training mode (e.g. Dropout drops), false in inference
     * @return the output batch
     * @throws UnsupportedOperationException if the layer does not implement it
     */
    protected Tensor call(Tensor input, boolean training) {
        throw new UnsupportedOperationException("Layer \"" + name() + "\" (" + getClass().getSimpleName()
                + ") does not implement call()");
    }

    /**
     * The layer's computation on several inputs to several outputs; defaults to the single-input
     * {@link #call(Tensor, boolean)}. Merge layers and layers with several outputs override it.
     *
     * @param inputs the input batches
     * @param training true in training mode, false in inference
     * @return the output batches
     * @throws IllegalArgumentException when the default receives other than one input
     */
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" expects 1 input, but it received "
                    + inputs.size() + " input tensors");
        }
        return List.of(call(inputs.get(0), training));
    }

    /**
     * The output shape for {@code inputShape} (Keras's {@code compute_output_shape}). The default
     * runs {@link #call} once on a batch of one sample of zeros, as Keras 3 traces a layer
     * symbolically; layers override it.
     *
     * @param inputShape the input shape, batch axis unknown
     * @return the output shape, batch axis unknown
     */
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShapes(List.of(inputShape)).get(0);
    }

    /**
     * Output shapes for several inputs, by default by running {@link #call} on zeros.
     *
     * @param inputShapes one shape per input
     * @return one shape per output, batch axes unknown
     */
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        List<Tensor> probes = new ArrayList<>();
        for (Shape s : inputShapes) {
            long[] d = s.dims();
            for (int i = 0; i < d.length; i++) if (d[i] < 0) d[i] = 1;
            probes.add(Tensor.constant(org.nd4j.linalg.factory.Nd4j.zeros(Cornu.floatType(), d)));
        }
        List<Tensor> outs = call(probes, false);
        List<Shape> r = new ArrayList<>();
        for (Tensor t : outs) r.add(Shape.of(t.shape()).with(0, Shape.NONE));
        return r;
    }

    /**
     * The layer's configuration (Keras's {@code get_config()}): {@code name}, {@code trainable},
     * {@code dtype} and the layer's own constructor arguments, under Keras's keys, so that the layer
     * can be saved and recreated.
     *
     * @return key to JSON-ready value, in insertion order
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name());
        c.put("trainable", trainable);
        c.put("dtype", Cornu.floatx());
        if (batchInputShape != null) c.put("batch_input_shape", toList(batchInputShape));
        return c;
    }

    static List<Object> toList(long[] shape) {
        List<Object> l = new ArrayList<>();
        for (long d : shape) l.add(d < 0 ? null : d);
        return l;
    }

    // ------------------------------------------------------------------ weights

    /**
     * Creates a weight in {@link Cornu#floatType()} (Keras's {@code add_weight}). Call from {@link #build}.
     *
     * @param weightName the weight's name within the layer (e.g. {@code "kernel"})
     * @param shape the weight's shape
     * @param initializer draws the initial value
     * @param regularizer a penalty on the weight added to the loss, or null
     * @param trainable whether the optimizer updates it
     * @param constraint applied to the weight after each update, or null
     * @return the new weight, also listed in {@link #weights()}
     */
    protected Weight addWeight(String weightName, long[] shape, Initializer initializer, Regularizer regularizer,
                               boolean trainable, Constraint constraint) {
        INDArray v;
        try (org.nd4j.linalg.api.memory.MemoryWorkspace out = Workspaces.outside()) {
            v = initializer.apply(shape, Cornu.floatType());
        }
        Weight w = new Weight(weightName, name() + "/" + weightName, v, trainable, regularizer, constraint);
        weights.add(w);
        return w;
    }

    /**
     * All weights, trainable first (Keras's order of {@code layer.weights}).
     *
     * @return the weights, in creation order within each group
     */
    public List<Weight> weights() {
        List<Weight> r = new ArrayList<>(trainableWeights());
        r.addAll(nonTrainableWeights());
        return r;
    }

    /**
     * The weights the optimizer updates (Keras's {@code layer.trainable_weights}).
     *
     * @return the trainable weights; none if the layer is frozen
     */
    public List<Weight> trainableWeights() {
        List<Weight> r = new ArrayList<>();
        if (!trainable) return r;
        for (Weight w : weights) if (w.trainable()) r.add(w);
        return r;
    }

    /**
     * The weights the optimizer leaves alone (Keras's {@code layer.non_trainable_weights}).
     *
     * @return moving statistics and the like, or all weights of a frozen layer
     */
    public List<Weight> nonTrainableWeights() {
        List<Weight> r = new ArrayList<>();
        for (Weight w : weights) if (!trainable || !w.trainable()) r.add(w);
        return r;
    }

    /**
     * The weights' values (Keras's {@code get_weights()}).
     *
     * @return copies, in {@link #weights()} order
     */
    public List<INDArray> getWeights() {
        List<INDArray> r = new ArrayList<>();
        for (Weight w : weights()) r.add(w.value().dup());
        return r;
    }

    /**
     * Sets the weights' values (Keras's {@code set_weights}); counts and shapes must match.
     *
     * @param values one array per weight, in {@link #weights()} order
     * @throws IllegalArgumentException on a count or shape mismatch
     */
    public void setWeights(List<INDArray> values) {
        List<Weight> ws = weights();
        if (values.size() != ws.size()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" expects " + ws.size()
                    + " weights, but the given list has " + values.size() + " elements");
        }
        for (int i = 0; i < ws.size(); i++) ws.get(i).assign(values.get(i));
    }

    /**
     * Total number of scalars in the layer's weights (Keras's {@code count_params()}).
     *
     * @return the number of parameters
     */
    public long countParams() {
        long n = 0;
        for (Weight w : weights) n += w.value().length();
        return n;
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs the layer on tensors: checks the inputs, builds on first use, calls, and adds the
     * activity regularization to the current loss collector.
     *
     * @param inputs the input batches
     * @param training true in training mode, false in inference
     * @return the output batches
     * @throws IllegalArgumentException when an input's rank or axis sizes do not fit the layer
     */
    public List<Tensor> invoke(List<Tensor> inputs, boolean training) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : inputs) shapes.add(Shape.of(t.shape()));
        checkInputs(shapes, true);
        if (!built) {
            List<Shape> bs = new ArrayList<>();
            for (Shape s : shapes) bs.add(s.with(0, Shape.NONE));
            build(bs);
            built = true;
        }
        List<Tensor> out = call(inputs, training);
        if (activityRegularizer != null && LossCollector.active()) {
            for (Tensor o : out) {
                LossCollector.add(Ops.mulScalar(activityRegularizer.apply(o), 1.0 / o.shape()[0]));
            }
        }
        return out;
    }

    /**
     * Eager call on an array, in inference mode (Keras's {@code layer(x)} on a concrete array);
     * builds the layer on first use.
     *
     * @param x the input batch
     * @return the output batch
     */
    public INDArray apply(INDArray x) {
        return invoke(List.of(Tensor.constant(x)), false).get(0).value();
    }

    /**
     * Checks input 0 against the layer's rank and axis requirements, with Keras's messages.
     *
     * @param shapes the input shapes
     * @param concrete true for the shapes of real arrays, false for symbolic ones
     * @throws IllegalArgumentException naming the layer and the shape received
     */
    protected void checkInputs(List<Shape> shapes, boolean concrete) {
        if (shapes.isEmpty()) return;
        long[] s = shapes.get(0).dims();
        String head = "Input 0 of layer \"" + name() + "\" is incompatible with the layer: ";
        if (inputNdim >= 0 && s.length != inputNdim) {
            throw new IllegalArgumentException(head + "expected ndim=" + inputNdim + ", found ndim=" + s.length
                    + ". Full shape received: " + Shape.format(s));
        }
        if (inputMinNdim >= 0 && s.length < inputMinNdim) {
            throw new IllegalArgumentException(head + "expected min_ndim=" + inputMinNdim + ", found ndim="
                    + s.length + ". Full shape received: " + Shape.format(s));
        }
        for (Map.Entry<Integer, Long> e : inputAxes.entrySet()) {
            int ax = e.getKey() < 0 ? s.length + e.getKey() : e.getKey();
            if (ax < 0 || ax >= s.length) continue;
            if (s[ax] >= 0 && s[ax] != e.getValue()) {
                throw new IllegalArgumentException(head + "expected axis " + e.getKey()
                        + " of input shape to have value " + e.getValue() + ", but received input with shape "
                        + Shape.format(s));
            }
        }
    }

    // ------------------------------------------------------------------ functional API

    /**
     * Applies the layer to symbolic inputs (Keras's {@code layer(x)} in the functional API).
     *
     * <pre>{@code
     * KerasTensor in = Input.of(784);
     * KerasTensor out = new Dense(10).apply(new Dense(64, "relu").apply(in));
     * Model model = new Model(in, out);
     * }</pre>
     *
     * @param inputs the symbolic inputs
     * @return the layer's single symbolic output
     * @throws IllegalStateException if the layer has several outputs (use {@link #applyAll})
     */
    public KerasTensor apply(KerasTensor... inputs) {
        List<KerasTensor> outs = applyAll(Arrays.asList(inputs));
        if (outs.size() != 1) {
            throw new IllegalStateException("Layer \"" + name() + "\" has " + outs.size()
                    + " outputs; use applyAll()");
        }
        return outs.get(0);
    }

    /**
     * Applies the layer to a list of symbolic inputs (a merge layer's inputs).
     *
     * @param inputs the symbolic inputs
     * @return the layer's single symbolic output
     * @throws IllegalStateException if the layer has several outputs (use {@link #applyAll})
     */
    public KerasTensor apply(List<KerasTensor> inputs) {
        List<KerasTensor> outs = applyAll(inputs);
        if (outs.size() != 1) {
            throw new IllegalStateException("Layer \"" + name() + "\" has " + outs.size()
                    + " outputs; use applyAll()");
        }
        return outs.get(0);
    }

    /**
     * Applies the layer to symbolic inputs, building it on first use.
     *
     * @param inputs the symbolic inputs
     * @return all the layer's symbolic outputs
     */
    public List<KerasTensor> applyAll(List<KerasTensor> inputs) {
        List<Shape> shapes = new ArrayList<>();
        for (KerasTensor t : inputs) shapes.add(t.shape());
        checkInputs(shapes, false);
        if (!built) {
            build(shapes);
            built = true;
        }
        List<Shape> outShapes = computeOutputShapes(shapes);
        Node node = new Node(this, new ArrayList<>(inputs), inboundNodes.size());
        List<KerasTensor> outs = new ArrayList<>();
        for (int i = 0; i < outShapes.size(); i++) {
            outs.add(new KerasTensor(outShapes.get(i), node, i, name()));
        }
        node.outputs = outs;
        inboundNodes.add(node);
        return outs;
    }

    /**
     * The symbolic output of the layer's first application (Keras's {@code layer.output}).
     *
     * @return the output tensor
     * @throws IllegalStateException if the layer was never applied
     */
    public KerasTensor output() {
        if (inboundNodes.isEmpty()) {
            throw new IllegalStateException("The layer \"" + name() + "\" has never been called and thus has no defined output.");
        }
        return inboundNodes.get(0).outputs.get(0);
    }

    /**
     * The symbolic input of the layer's first application (Keras's {@code layer.input}).
     *
     * @return the input tensor
     * @throws IllegalStateException if the layer was never applied
     */
    public KerasTensor input() {
        if (inboundNodes.isEmpty()) {
            throw new IllegalStateException("The layer \"" + name() + "\" has never been called and thus has no defined input.");
        }
        Node n = inboundNodes.get(0);
        return n.inputs.isEmpty() ? n.outputs.get(0) : n.inputs.get(0);
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " name=" + name() + ", built=" + built + ">";
    }

    boolean nameWasSet() {
        return nameSet;
    }
}
