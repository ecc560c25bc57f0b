package org.cornu.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.saving.LayerFactory;
import org.cornu.core.saving.ModelConfig;

/**
 * Runs a recurrent layer forwards and a copy of it backwards and merges the outputs,
 * {@code keras.layers.Bidirectional}. Merge modes {@code "concat"} (default), {@code "sum"},
 * {@code "mul"}, {@code "ave"}, or null (both outputs). The backward layer's sequence is
 * flipped back to input time order before merging, as Keras does. Weights: the forward
 * layer's, then the backward layer's.
 */
public class Bidirectional extends Layer implements org.cornu.core.saving.KerasVariableGroups {
    private final RNNBase forward;
    private final RNNBase backward;
    private final String mergeMode;

    /**
     * Wraps {@code layer}, concatenating the two directions' outputs (merge_mode {@code "concat"}).
     *
     * @param layer the recurrent layer to run forwards; a copy runs backwards (Keras's {@code layer})
     */
    public Bidirectional(RNNBase layer) {
        this(layer, "concat");
    }

    /**
     * Wraps {@code layer} with the given way of merging the two directions.
     *
     * <pre>{@code
     * // (32, 10, 8) -> (32, 10, 2 * 16)
     * Layer bi = new Bidirectional(new LSTM(16).returnSequences(true));
     * }</pre>
     *
     * @param layer the recurrent layer to run forwards; a copy runs backwards (Keras's {@code layer})
     * @param mergeMode {@code "concat"}, {@code "sum"}, {@code "mul"}, {@code "ave"}, or null to
     *        return both outputs in a list (Keras's {@code merge_mode}, default {@code "concat"})
     * @throws IllegalArgumentException for any other merge mode
     */
    public Bidirectional(RNNBase layer, String mergeMode) {
        if (mergeMode != null && !List.of("concat", "sum", "mul", "ave").contains(mergeMode)) {
            throw new IllegalArgumentException("Invalid merge mode. Received: merge_mode=" + mergeMode
                    + ". Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\", None}");
        }
        this.mergeMode = mergeMode;
        this.forward = layer;
        this.backward = layer.copyConfig();
        backward.goBackwards = !layer.goBackwards;
        backward.restoreOrder = true;
        forward.zeroOutputForMask = layer.returnSequences;
        backward.zeroOutputForMask = layer.returnSequences;
        String base = layer.name();
        forward.name("forward_" + base);
        backward.name("backward_" + base);
        this.inputNdim = 3;
    }

    /**
     * The layer that runs forwards (the one given, renamed {@code forward_<name>}).
     *
     * @return the forward layer
     */
    public RNNBase forwardLayer() { return forward; }
    /**
     * The copy that runs backwards, named {@code backward_<name>}.
     *
     * @return the backward layer
     */
    public RNNBase backwardLayer() { return backward; }

    @Override
    @SuppressWarnings("unchecked")
    public Bidirectional inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    public void build(Shape inputShape) {
        if (!forward.isBuilt()) forward.build(inputShape);
        if (!backward.isBuilt()) backward.build(inputShape);
        built = true;
    }

    private Tensor merge(Tensor a, Tensor b) {
        return switch (mergeMode) {
            case "concat" -> Ops.concat(-1, a, b);
            case "sum" -> Ops.add(a, b);
            case "mul" -> Ops.mul(a, b);
            default -> Ops.mulScalar(Ops.add(a, b), 0.5);
        };
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        Tensor x = inputs.get(0);
        List<Tensor> f = forward.invoke(List.of(x), training);
        List<Tensor> b = backward.invoke(List.of(x), training);
        List<Tensor> out = new ArrayList<>();
        if (mergeMode == null) {
            out.add(f.get(0));
            out.add(b.get(0));
        } else {
            Tensor m = merge(f.get(0), b.get(0));
            if (forward.returnSequences && x.mask() != null) m.withMask(x.mask());
            out.add(m);
        }
        if (forward.returnState) {
            out.addAll(f.subList(1, f.size()));
            out.addAll(b.subList(1, b.size()));
        }
        return out;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        List<Shape> f = forward.computeOutputShapes(inputShapes);
        List<Shape> r = new ArrayList<>();
        Shape o = f.get(0);
        if (mergeMode == null) {
            r.add(o);
            r.add(o);
        } else {
            r.add("concat".equals(mergeMode) ? o.with(-1, 2 * o.get(-1)) : o);
        }
        if (forward.returnState) {
            r.addAll(f.subList(1, f.size()));
            r.addAll(f.subList(1, f.size()));
        }
        return r;
    }

    @Override
    public List<Weight> weights() {
        List<Weight> r = new ArrayList<>(forward.weights());
        r.addAll(backward.weights());
        return r;
    }

    @Override
    public List<Weight> trainableWeights() {
        if (!trainable()) return List.of();
        List<Weight> r = new ArrayList<>(forward.trainableWeights());
        r.addAll(backward.trainableWeights());
        return r;
    }

    @Override
    public List<Weight> nonTrainableWeights() {
        if (!trainable()) return weights();
        List<Weight> r = new ArrayList<>(forward.nonTrainableWeights());
        r.addAll(backward.nonTrainableWeights());
        return r;
    }

    @Override
    public long countParams() {
        return forward.countParams() + backward.countParams();
    }

    /** Resets both directions' states (stateful layers). */
    public void resetStates() {
        forward.resetStates();
        backward.resetStates();
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("merge_mode", mergeMode);
        c.put("layer", ModelConfig.serializeLayer(forward, null));
        c.put("backward_layer", ModelConfig.serializeLayer(backward, null));
        return c;
    }

    /**
     * Re-creates a Bidirectional layer from Keras's config: the wrapped recurrent layer from
     * {@code layer} (its {@code forward_} name prefix removed, as Keras does), merge_mode
     * "concat" when absent (null: outputs not merged). The backward layer is derived from the
     * forward one, as Cornu always does; a {@code backward_layer} entry gives its name.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Bidirectional fromConfig(Map<String, Object> c) {
        Map<String, Object> lc = LayerConfigs.nested(c, "layer");
        Map<String, Object> inner = LayerConfigs.innerConfig(lc);
        Layer l = LayerFactory.create(String.valueOf(lc.get("class_name")), inner);
        if (!(l instanceof RNNBase rnn)) {
            throw new IllegalArgumentException("Bidirectional \"" + c.get("name") + "\": the wrapped layer must be"
                    + " SimpleRNN, LSTM or GRU. Received: " + lc.get("class_name"));
        }
        String n = rnn.name();
        if (n.startsWith("forward_")) rnn.name(n.substring("forward_".length()));
        Bidirectional b = new Bidirectional(rnn, c.containsKey("merge_mode") ? (String) c.get("merge_mode") : "concat");
        if (c.get("backward_layer") instanceof Map<?, ?> bl) {
            // Cornu derives the backward layer from the forward one: a file whose backward layer differs is refused
            @SuppressWarnings("unchecked")
            Map<String, Object> bls = (Map<String, Object>) bl;
            Layer given = LayerFactory.create(String.valueOf(bls.get("class_name")), LayerConfigs.innerConfig(bls));
            Map<String, Object> want = b.backward.getConfig();
            Map<String, Object> got = given.getConfig();
            for (String k : List.of("units", "activation", "recurrent_activation", "use_bias", "return_sequences",
                    "return_state", "stateful", "go_backwards", "unit_forget_bias", "reset_after")) {
                if (!java.util.Objects.equals(want.get(k), got.get(k)) || given.getClass() != b.backward.getClass()) {
                    throw new IllegalArgumentException("Bidirectional \"" + c.get("name") + "\": a backward_layer"
                            + " that differs from the forward layer is not supported (" + k + ": forward gives "
                            + want.get(k) + ", backward_layer has " + got.get(k) + ")");
                }
            }
            b.backward.name(given.name());
        }
        return b;
    }

    /** Keras 3 saves the two directions under {@code forward_layer/cell} and {@code backward_layer/cell}. */
    @Override
    public java.util.Map<String, java.util.List<org.cornu.core.Weight>> kerasVariableGroups() {
        java.util.Map<String, java.util.List<org.cornu.core.Weight>> g = new java.util.LinkedHashMap<>();
        for (var e : forward.kerasVariableGroups().entrySet()) g.put("forward_layer/" + e.getKey(), e.getValue());
        for (var e : backward.kerasVariableGroups().entrySet()) g.put("backward_layer/" + e.getKey(), e.getValue());
        return g;
    }
}
