package org.cornu.core.autodiff;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.Weight;

/**
 * Makes weights read as given tensors while it is open, as Keras 3's
 * {@code keras.StatelessScope(state_mapping=[(variable, value)])}: a layer called inside
 * computes with those values instead of its weights' own, which stay untouched. Useful to
 * evaluate a model at other weight values, and to take derivatives with respect to values
 * that are inputs of a function (finite-difference checks).
 *
 * <pre>{@code
 * try (StatelessScope s = new StatelessScope(Map.of(dense.kernel(), Tensor.variable(k2)))) {
 *     Tensor y = dense.invoke(List.of(x), false).get(0);   // computed with k2
 * }
 * }</pre>
 *
 * Scopes are per thread; an inner scope's mapping hides the outer one's.
 */
public final class StatelessScope implements AutoCloseable {
    private static final ThreadLocal<StatelessScope> ACTIVE = new ThreadLocal<>();

    private final Map<Weight, Tensor> mapping = new IdentityHashMap<>();
    private StatelessScope outer;
    private boolean closed;

    /**
     * Opens a scope in which each weight of {@code mapping} reads as its tensor (same shape required).
     *
     * @param mapping weight to the tensor it reads as
     */
    public StatelessScope(Map<Weight, Tensor> mapping) {
        for (Map.Entry<Weight, Tensor> e : mapping.entrySet()) put(e.getKey(), e.getValue());
        open();
    }

    /**
     * Opens a scope mapping {@code weights.get(i)} to {@code values.get(i)}.
     *
     * @param weights the weights
     * @param values one tensor per weight, in order
     */
    public StatelessScope(List<Weight> weights, List<Tensor> values) {
        if (weights.size() != values.size()) {
            throw new IllegalArgumentException("StatelessScope: " + weights.size() + " weights but " + values.size() + " values");
        }
        for (int i = 0; i < weights.size(); i++) put(weights.get(i), values.get(i));
        open();
    }

    private void open() {
        outer = ACTIVE.get();
        ACTIVE.set(this);
    }

    private void put(Weight w, Tensor t) {
        if (!java.util.Arrays.equals(w.shape(), t.shape())) {
            throw new IllegalArgumentException("StatelessScope: weight '" + w.path() + "' has shape " + Shape.format(w.shape())
                    + " but its value has shape " + Shape.format(t.shape()));
        }
        mapping.put(w, t);
    }

    /**
     * The tensor {@code w} reads as in the open scopes of this thread, or null. Called by {@link Weight#tensor()}.
     *
     * @param w a weight
     * @return its tensor in the scope, or null
     */
    public static Tensor valueOf(Weight w) {
        for (StatelessScope s = ACTIVE.get(); s != null; s = s.outer) {
            Tensor t = s.mapping.get(w);
            if (t != null) return t;
        }
        return null;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (ACTIVE.get() == this) ACTIVE.set(outer);
    }
}
