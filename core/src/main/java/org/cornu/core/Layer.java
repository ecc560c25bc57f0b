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

    protected Layer() {}

    // ------------------------------------------------------------------ configuration

    /** The layer's name; unique by default ({@code dense}, {@code dense_1}, ...). */
    public String name() {
        if (name == null) name = Cornu.uniqueName(defaultNamePrefix());
        return name;
    }

    /** Names the layer (Keras's {@code name=} argument). */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T name(String n) {
        if (n == null || n.isEmpty() || n.contains("/")) {
            throw new IllegalArgumentException("Invalid layer name '" + n + "': it must be non-empty and must not contain '/'");
        }
        this.name = n;
        this.nameSet = true;
        return (T) this;
    }

    /** Prefix of automatic names: the class name in snake case. */
    protected String defaultNamePrefix() {
        return Cornu.toSnakeCase(getClass().getSimpleName());
    }

    /** Declares the per-sample input shape (Keras's {@code input_shape=}), as the first layer of a {@link Sequential}. */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T inputShape(long... shape) {
        long[] b = new long[shape.length + 1];
        b[0] = Shape.NONE;
        System.arraycopy(shape, 0, b, 1, shape.length);
        this.batchInputShape = b;
        return (T) this;
    }

    /** Same as {@link #inputShape} for a 1-D input: Keras's {@code input_dim=}. */
    public <T extends Layer> T inputDim(long dim) {
        return inputShape(dim);
    }

    /** The declared batch input shape, or null. */
    public long[] batchInputShape() {
        return batchInputShape == null ? null : batchInputShape.clone();
    }

    public boolean trainable() {
        return trainable;
    }

    /** Freezes ({@code false}) or unfreezes the layer's weights. */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T trainable(boolean t) {
        this.trainable = t;
        return (T) this;
    }

    /** A penalty on the layer's output, added to the loss. */
    @SuppressWarnings("unchecked")
    public <T extends Layer> T activityRegularizer(Object reg) {
        this.activityRegularizer = Registry.regularizer(reg);
        return (T) this;
    }

    public Regularizer activityRegularizer() {
        return activityRegularizer;
    }

    public boolean isBuilt() {
        return built;
    }

    // ------------------------------------------------------------------ life cycle

    /** Creates the weights for inputs of {@code inputShape} (batch dimension unknown). */
    public void build(Shape inputShape) {
        built = true;
    }

    /** Builds from several input shapes; single-input layers use the first. */
    public void build(List<Shape> inputShapes) {
        build(inputShapes.get(0));
    }

    /** The layer's computation on one input. */
    protected Tensor call(Tensor input, boolean training) {
        throw new UnsupportedOperationException("Layer \"" + name() + "\" (" + getClass().getSimpleName()
                + ") does not implement call()");
    }

    /** The layer's computation on several inputs to several outputs; defaults to the single-input {@link #call}. */
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" expects 1 input, but it received "
                    + inputs.size() + " input tensors");
        }
        return List.of(call(inputs.get(0), training));
    }

    /**
     * The output shape for {@code inputShape}. The default runs {@link #call} once on a batch
     * of one sample of zeros, as Keras 3 traces a layer symbolically; layers override it.
     */
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShapes(List.of(inputShape)).get(0);
    }

    /** Output shapes for several inputs. */
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

    /** Keras's {@code get_config()}: {@code name}, {@code trainable}, {@code dtype} and the layer's own keys. */
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
     * Creates a weight in {@link Cornu#floatType()}; Keras's {@code add_weight}. Call from
     * {@link #build}.
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

    /** All weights, trainable first (Keras's order of {@code layer.weights}). */
    public List<Weight> weights() {
        List<Weight> r = new ArrayList<>(trainableWeights());
        r.addAll(nonTrainableWeights());
        return r;
    }

    /** Weights the optimizer updates (none if the layer is frozen). */
    public List<Weight> trainableWeights() {
        List<Weight> r = new ArrayList<>();
        if (!trainable) return r;
        for (Weight w : weights) if (w.trainable()) r.add(w);
        return r;
    }

    /** Weights the optimizer leaves alone (moving statistics, or all weights of a frozen layer). */
    public List<Weight> nonTrainableWeights() {
        List<Weight> r = new ArrayList<>();
        for (Weight w : weights) if (!trainable || !w.trainable()) r.add(w);
        return r;
    }

    /** The weights' values (copies), in {@link #weights()} order. */
    public List<INDArray> getWeights() {
        List<INDArray> r = new ArrayList<>();
        for (Weight w : weights()) r.add(w.value().dup());
        return r;
    }

    /** Sets the weights' values, in {@link #weights()} order; counts and shapes must match. */
    public void setWeights(List<INDArray> values) {
        List<Weight> ws = weights();
        if (values.size() != ws.size()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" expects " + ws.size()
                    + " weights, but the given list has " + values.size() + " elements");
        }
        for (int i = 0; i < ws.size(); i++) ws.get(i).assign(values.get(i));
    }

    /** Total number of scalars in the layer's weights. */
    public long countParams() {
        long n = 0;
        for (Weight w : weights) n += w.value().length();
        return n;
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs the layer on tensors: checks the inputs, builds on first use, calls, and adds the
     * activity regularization to the current loss collector.
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

    /** Eager call on an array (inference mode): builds on first use. */
    public INDArray apply(INDArray x) {
        return invoke(List.of(Tensor.constant(x)), false).get(0).value();
    }

    /** Checks input 0 against the layer's rank and axis requirements, with Keras's messages. */
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

    /** Applies the layer to symbolic inputs (Keras's {@code layer(x)}); returns its single output. */
    public KerasTensor apply(KerasTensor... inputs) {
        List<KerasTensor> outs = applyAll(Arrays.asList(inputs));
        if (outs.size() != 1) {
            throw new IllegalStateException("Layer \"" + name() + "\" has " + outs.size()
                    + " outputs; use applyAll()");
        }
        return outs.get(0);
    }

    /** Applies the layer to a list of symbolic inputs (a merge layer's inputs). */
    public KerasTensor apply(List<KerasTensor> inputs) {
        List<KerasTensor> outs = applyAll(inputs);
        if (outs.size() != 1) {
            throw new IllegalStateException("Layer \"" + name() + "\" has " + outs.size()
                    + " outputs; use applyAll()");
        }
        return outs.get(0);
    }

    /** Applies the layer to symbolic inputs and returns all its outputs. */
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

    /** The symbolic output of the layer's first application (Keras's {@code layer.output}). */
    public KerasTensor output() {
        if (inboundNodes.isEmpty()) {
            throw new IllegalStateException("The layer \"" + name() + "\" has never been called and thus has no defined output.");
        }
        return inboundNodes.get(0).outputs.get(0);
    }

    /** The symbolic input of the layer's first application (Keras's {@code layer.input}). */
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
