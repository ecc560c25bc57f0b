package org.cornu.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.training.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A functional model, {@code keras.Model(inputs, outputs)}: a graph of layer applications
 * from {@link Input}s to outputs. Keras's training API ({@link #compile}, {@link #fit},
 * {@link #evaluate}, {@link #predict}, {@link #trainStep}) comes from {@link Trainer}. A model
 * is itself a layer and can be applied inside another model.
 *
 * <p><b>Threads.</b> {@code predict} (and {@code predictAll}, {@code predictAsMap}, {@code predictOnBatch}) is
 * thread-safe: several threads may predict with the same model at once. Training ({@code fit},
 * {@code trainOnBatch}, {@code evaluate}, {@code testOnBatch}, {@code compile}) is not: one thread at a time per
 * model, and no prediction while it trains on another thread (see {@link org.cornu.core.training.Trainer}).
 *
 * <pre>{@code
 * KerasTensor in = Input.of(784);
 * KerasTensor h = new Dense(64, "relu").apply(in);
 * Model model = new Model(in, new Dense(10, "softmax").apply(h));
 * }</pre>
 */
public class Model extends Trainer {

    /** The graph's symbolic inputs (Keras's {@code model.inputs}); empty until the graph exists. */
    protected List<KerasTensor> inputs = List.of();
    /** The graph's symbolic outputs (Keras's {@code model.outputs}); empty until the graph exists. */
    protected List<KerasTensor> outputs = List.of();
    private List<Node> nodes = List.of();
    private List<Layer> graphLayers = List.of();


    /**
     * A functional model from one input to one output (Keras's {@code keras.Model(inputs, outputs)}).
     *
     * <pre>{@code
     * KerasTensor in = Input.of(784);
     * KerasTensor h = new Dense(64, "relu").apply(in);
     * Model model = new Model(in, new Dense(10, "softmax").apply(h));
     * }</pre>
     *
     * @param input the symbolic input, from {@link Input}
     * @param output the symbolic output, computed from {@code input} by applying layers
     */
    public Model(KerasTensor input, KerasTensor output) {
        this(List.of(input), List.of(output), null);
    }

    /**
     * A functional model with several inputs and outputs.
     *
     * @param inputs the symbolic inputs, in the order the model takes its input arrays
     * @param outputs the symbolic outputs, in the order the model returns its predictions
     */
    public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
        this(inputs, outputs, null);
    }

    /**
     * A named functional model (Keras's {@code name}).
     *
     * @param inputs the symbolic inputs, in order
     * @param outputs the symbolic outputs, in order
     * @param name the model's name
     */
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

    /**
     * Sets the graph's inputs and outputs and orders its layer applications.
     *
     * @param ins the symbolic inputs
     * @param outs the symbolic outputs
     */
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
        for (KerasTensor t : ins) layerSet.add(t.layer()); // inputs the outputs do not reach stay first
        List<Layer> sorted = kerasLayerOrder(outs, inputSet);
        for (Layer l : sorted) if (l instanceof InputLayer) layerSet.remove(l);
        layerSet.addAll(sorted);
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

    /**
     * The layers in Keras's order ({@code functional.map_graph}): by decreasing depth (the longest
     * path to an output), ties in the order a depth-first walk from the outputs first meets
     * them. Legacy {@code .h5} weight files list their layers in this order, and Keras's
     * {@code load_weights} matches them to {@code model.layers} by position.
     */
    private static List<Layer> kerasLayerOrder(List<KerasTensor> outs, Set<KerasTensor> inputSet) {
        Map<Layer, Integer> index = new IdentityHashMap<>();
        Set<Node> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> post = new ArrayList<>();
        for (KerasTensor o : outs) buildMap(o, inputSet, index, finished, post);
        Map<Node, Integer> nodeDepth = new IdentityHashMap<>();
        Map<Layer, Integer> layerDepth = new IdentityHashMap<>();
        for (int i = post.size() - 1; i >= 0; i--) {
            Node node = post.get(i);
            int depth = Math.max(nodeDepth.getOrDefault(node, 0), layerDepth.getOrDefault(node.layer, 0));
            layerDepth.put(node.layer, depth);
            nodeDepth.put(node, depth);
            for (KerasTensor t : node.inputs) nodeDepth.merge(t.node, depth + 1, Math::max);
        }
        List<Layer> r = new ArrayList<>(layerDepth.keySet());
        r.sort((a, b) -> {
            int c = Integer.compare(layerDepth.get(b), layerDepth.get(a));
            return c != 0 ? c : Integer.compare(index.get(a), index.get(b));
        });
        return r;
    }

    /** Keras's {@code _build_map}: layers numbered in the order first met from the outputs; nodes in post-order. */
    private static void buildMap(KerasTensor t, Set<KerasTensor> inputSet, Map<Layer, Integer> index, Set<Node> finished,
                                 List<Node> post) {
        Node node = t.node;
        if (finished.contains(node)) return;
        index.putIfAbsent(node.layer, index.size());
        if (!(node.layer instanceof InputLayer) && !inputSet.contains(t)) {
            for (KerasTensor in : node.inputs) buildMap(in, inputSet, index, finished, post);
        }
        finished.add(node);
        post.add(node);
    }

    private static void visit(KerasTensor t, Set<Node> seen, List<Node> order, Set<KerasTensor> inputSet) {
        Node n = t.node;
        if (seen.contains(n) || inputSet.contains(t)) return;
        seen.add(n);
        for (KerasTensor in : n.inputs) visit(in, seen, order, inputSet);
        if (!(n.layer instanceof InputLayer)) order.add(n);
    }

    /**
     * The layers, in graph order (for a functional model, its {@link InputLayer}s included, as Keras).
     *
     * @return the layers (Keras's {@code model.layers})
     */
    public List<Layer> layers() {
        return Collections.unmodifiableList(graphLayers);
    }

    /**
     * The layer named {@code name}; an unknown name lists the known ones.
     *
     * @param name a layer's name
     * @return the layer (Keras's {@code model.get_layer(name=...)})
     * @throws IllegalArgumentException for an unknown name
     */
    public Layer getLayer(String name) {
        for (Layer l : layers()) if (l.name().equals(name)) return l;
        List<String> names = new ArrayList<>();
        for (Layer l : layers()) names.add(l.name());
        throw new IllegalArgumentException("No such layer: " + name + ". Existing layers are: " + names);
    }

    /**
     * The layer at {@code index} of {@link #layers()}.
     *
     * @param index a position in {@link #layers()}
     * @return the layer (Keras's {@code model.get_layer(index=...)})
     */
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

    @Override
    public List<KerasTensor> inputs() {
        ensureGraph();
        return inputs;
    }

    @Override
    public List<KerasTensor> outputs() {
        ensureGraph();
        return outputs;
    }

    @Override
    protected boolean isGraphReady() {
        return !inputs.isEmpty();
    }

    /** Hook for models whose graph is built on first use ({@link Sequential}). */
    protected void ensureGraph() {
        if (nodes.isEmpty() && inputs.isEmpty()) {
            throw new IllegalStateException("Model \"" + name() + "\" has not been built: give its first layer an input shape, or call fit/predict first.");
        }
    }

    /** Builds the graph from the data's shapes if it is not built yet ({@link Sequential} without input shape). */
    @Override
    protected void ensureGraph(INDArray[] xs) {
        ensureGraph();
    }

    /** Runs the graph on tensors. */
    @Override
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

    /**
     * Freezes ({@code false}) or unfreezes the model and, as Keras 3's {@code trainable} setter,
     * every one of its layers (nested models included): {@code convBase.trainable(false)} freezes
     * the whole base; afterwards single layers can be unfrozen again
     * ({@code convBase.getLayer("block5_conv1").trainable(true)} after {@code convBase.trainable(true)}).
     * A frozen {@code BatchNormalization} runs in inference mode.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends Layer> T trainable(boolean t) {
        super.trainable(t);
        for (Layer l : layers()) if (l != this) l.trainable(t);
        return (T) this;
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

    // ------------------------------------------------------------------ summary

    /** Prints Keras's summary table to standard output. */
    public void summary() {
        summary(System.out::println);
    }

    /**
     * Writes Keras's summary table line by line to {@code printFn} (Keras's {@code print_fn}).
     *
     * @param printFn receives each line of the table
     */
    public void summary(Consumer<String> printFn) {
        ensureGraph();
        Summary.print(this, printFn);
    }

    /**
     * The summary as one string.
     *
     * @return the summary table, lines ending in a newline
     */
    public String summaryString() {
        StringBuilder b = new StringBuilder();
        summary(s -> b.append(s).append('\n'));
        return b.toString();
    }

    /**
     * The layer applications of the graph, in the order they run.
     *
     * @return the nodes
     */
    public List<Node> nodes() {
        return nodes;
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
                    shapes.add(Layer.toList(t.shape().dims()));
                }
                if (buildShape == null) buildShape = shapes.size() == 1 ? shapes.get(0) : shapes;
                Map<String, Object> node = new LinkedHashMap<>();
                if (l instanceof org.cornu.core.saving.KerasCallArguments call) {
                    List<Object> kargs = new ArrayList<>();
                    Map<String, Object> kwargs = new LinkedHashMap<>();
                    call.toKerasCall(args, kargs, kwargs);
                    node.put("args", kargs);
                    node.put("kwargs", kwargs);
                } else {
                    node.put("args", args.size() == 1 ? args : List.of(args));
                    node.put("kwargs", new LinkedHashMap<>());
                }
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
        cfg.put("shape", Layer.toList(t.shape().dims()));
        cfg.put("dtype", t.node.layer instanceof InputLayer il ? il.dtype() : Cornu.floatx());
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
     *
     * <pre>{@code
     * model.save(Path.of("my_model.keras"));
     * Model again = org.cornu.core.saving.Models.loadModel(Path.of("my_model.keras"));
     * }</pre>
     *
     * @param path the file to write, ending in {@code .keras}
     */
    public void save(java.nio.file.Path path) {
        org.cornu.core.saving.Models.save(this, path);
    }

    /**
     * {@link #save(java.nio.file.Path)} with a path string.
     *
     * @param path the file to write, ending in {@code .keras}
     */
    public void save(String path) {
        save(java.nio.file.Path.of(path));
    }

    /**
     * Saves the weights (and optimizer state) in Keras's {@code .weights.h5} layout.
     *
     * @param path the file to write, ending in {@code .weights.h5}
     */
    public void saveWeights(java.nio.file.Path path) {
        org.cornu.core.saving.Models.saveWeights(this, path);
    }

    /**
     * {@link #saveWeights(java.nio.file.Path)} with a path string.
     *
     * @param path the file to write, ending in {@code .weights.h5}
     */
    public void saveWeights(String path) {
        saveWeights(java.nio.file.Path.of(path));
    }

    /**
     * Loads weights from a {@code .weights.h5} or {@code .keras} file written for the same
     * architecture, or from a legacy {@code .h5} file (Keras 2's, and the applications' weight
     * files): the layers with weights take the file's layers with weights in order, as Keras's
     * {@code load_weights}.
     *
     * @param path a {@code .weights.h5}, {@code .keras} or legacy {@code .h5} file
     */
    public void loadWeights(java.nio.file.Path path) {
        org.cornu.core.saving.Models.loadWeights(this, path);
    }

    /**
     * {@link #loadWeights(java.nio.file.Path)} with a path string.
     *
     * @param path a {@code .weights.h5}, {@code .keras} or legacy {@code .h5} file
     */
    public void loadWeights(String path) {
        loadWeights(java.nio.file.Path.of(path));
    }

    /**
     * Loads a legacy {@code .h5} weight file by layer name (Keras's
     * {@code load_weights(path, by_name=True, skip_mismatch=...)}): only layers with the same
     * name as a layer of the file receive weights. With {@code skipMismatch}, a layer whose weight
     * count or shapes differ from the file's is skipped with a warning instead of failing.
     *
     * @param path a legacy {@code .h5} weight file
     * @param skipMismatch true to skip, with a warning, layers whose weights do not fit (Keras's {@code skip_mismatch}, default false)
     */
    public void loadWeightsByName(java.nio.file.Path path, boolean skipMismatch) {
        org.cornu.core.saving.Models.loadWeightsByName(this, path, skipMismatch);
    }

    /**
     * The model's serialized config as JSON (Keras's {@code model.to_json()}).
     *
     * @return the JSON text, readable by {@link org.cornu.core.saving.Models#modelFromJson}
     */
    public String toJson() {
        return org.cornu.core.saving.Models.toJson(this);
    }

}
