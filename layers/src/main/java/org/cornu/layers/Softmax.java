package org.cornu.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax activation layer, {@code keras.layers.Softmax}:
 * {@code exp(x) / sum(exp(x), axis)} over {@code axis} (an int, default -1, or several axes,
 * normalized together).
 *
 * <p>A {@code mask} (1 or true to keep, 0 or false to mask) must be broadcastable to the
 * inputs, numpy's rules from the right; masked positions take the value -1e9 before the softmax
 * and 0 after it (so a fully masked row gives zeros, not a uniform distribution). Keras passes
 * the mask an input carries (an {@code Embedding(maskZero)} or {@code Masking} upstream) as this
 * argument, and so does this layer; {@link #apply(INDArray, INDArray)} takes one explicitly.
 *
 * <pre>{@code
 * new Softmax().apply(x)                      // over the last axis
 * new Softmax().apply(scores, mask)           // masked positions get probability 0
 * }</pre>
 */
public class Softmax extends Layer {
    private int[] axes = {-1};
    private boolean axisIsList;

    /** Softmax over the last axis. */
    public Softmax() {}

    /**
     * Softmax over {@code axis}.
     *
     * @param axis the axis to normalize along, negative counting from the end (Keras's {@code axis}, default -1)
     */
    public Softmax(int axis) {
        this.axes = new int[] {axis};
    }

    @Override
    @SuppressWarnings("unchecked")
    public Softmax name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Softmax inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * The axis, or axes, along which the softmax normalization is applied (default -1).
     *
     * @param axis one or more axes, normalized together
     * @return this layer
     */
    public Softmax axis(int... axis) {
        if (axis.length == 0) throw new IllegalArgumentException("Softmax: axis must name at least one axis");
        this.axes = axis.clone();
        this.axisIsList = axis.length > 1;
        return this;
    }

    /**
     * The axes the softmax normalizes along.
     *
     * @return a copy of Keras's {@code axis}
     */
    public int[] axis() {
        return axes.clone();
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return softmax(x, x.mask());
    }

    /**
     * Eager call (inference) with an explicit mask broadcastable to {@code x}.
     *
     * @param x the input
     * @param mask 1 (or true) to keep, 0 to mask; broadcastable to {@code x}, or null for none
     * @return the softmax of {@code x}, 0 where masked
     */
    public INDArray apply(INDArray x, INDArray mask) {
        List<Shape> shapes = List.of(Shape.of(x.shape()));
        checkInputs(shapes, true);
        return softmax(Tensor.constant(x), mask).value();
    }

    private Tensor softmax(Tensor x, INDArray mask) {
        Tensor in = x;
        INDArray m = null;
        if (mask != null) {
            m = broadcastableMask(x.shape(), mask, x.value().dataType());
            in = Ops.add(Ops.mul(x, Tensor.constant(m)), Tensor.constant(m.rsub(1.0).muli(-1e9)));
        }
        Tensor out = over(in);
        if (m != null) out = Ops.mul(out, Tensor.constant(m));
        return Masks.passThrough(x, out);
    }

    private INDArray broadcastableMask(long[] xs, INDArray mask, org.nd4j.linalg.api.buffer.DataType dt) {
        long[] ms = mask.shape();
        boolean ok = ms.length <= xs.length;
        for (int i = 1; ok && i <= ms.length; i++) {
            long md = ms[ms.length - i], id = xs[xs.length - i];
            ok = md == 1 || md == id;
        }
        if (!ok) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the `mask` must be broadcastable to `inputs`. Each mask"
                    + " dimension must be 1 or match the corresponding input dimension. Received: inputs.shape="
                    + Shape.format(xs) + ", mask.shape=" + Shape.format(ms));
        }
        long[] full = new long[xs.length];
        Arrays.fill(full, 1);
        System.arraycopy(ms, 0, full, xs.length - ms.length, ms.length);
        return mask.castTo(dt).gt(0.5).castTo(dt).reshape(full);
    }

    private Tensor over(Tensor x) {
        int r = x.rank();
        if (axes.length == 1) return Ops.softmax(x, axes[0]);
        boolean[] in = new boolean[r];
        for (int a : axes) in[a < 0 ? a + r : a] = true;
        int[] perm = new int[r];
        int k = 0;
        long p = 1, q = 1;
        long[] xs = x.shape();
        for (int i = 0; i < r; i++) if (!in[i]) { perm[k++] = i; p *= xs[i]; }
        for (int i = 0; i < r; i++) if (in[i]) { perm[k++] = i; q *= xs[i]; }
        Tensor t = Ops.transpose(x, perm);
        long[] ts = t.shape();
        Tensor y = Ops.reshape(Ops.softmax(Ops.reshape(t, p, q), -1), ts);
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[perm[i]] = i;
        return Ops.transpose(y, inv);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        if (axisIsList) {
            List<Object> l = new ArrayList<>();
            for (int a : axes) l.add(a);
            c.put("axis", l);
        } else {
            c.put("axis", axes[0]);
        }
        return c;
    }

    /**
     * Re-creates a Softmax layer from Keras's config ({@code axis} an int or a list; -1 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Softmax fromConfig(Map<String, Object> c) {
        Object a = c.get("axis");
        Softmax s = new Softmax();
        if (a instanceof Number n) {
            s.axis(n.intValue());
        } else if (a instanceof List<?> l) {
            int[] axes = new int[l.size()];
            for (int i = 0; i < axes.length; i++) axes[i] = ((Number) l.get(i)).intValue();
            s.axis(axes);
            s.axisIsList = true;
        }
        return s;
    }
}
