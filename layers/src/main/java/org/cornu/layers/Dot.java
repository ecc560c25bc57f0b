package org.cornu.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * Computes element-wise dot product of two tensors, {@code keras.layers.Dot}. It takes a list of
 * inputs of size 2, and the axes corresponding to each input along with the dot product is to be
 * performed (Keras's {@code batch_dot}): for {@code x1} of shape {@code (batch, n)} and {@code x2}
 * of shape {@code (batch, n)} the output is {@code (batch, 1)} where each entry {@code i} is the
 * dot product between {@code x1[i, :]} and {@code x2[i, :]}; in general the output's shape is
 * {@code x1}'s without the batch axis and {@code axes[0]}, followed by {@code x2}'s without the
 * batch axis and {@code axes[1]}.
 *
 * <p>{@code normalize}: whether to L2-normalize samples along the dot product axis before taking
 * the dot product; if true, the output of the dot product is the cosine proximity between the
 * two samples.
 *
 * <pre>{@code
 * new Dot(1).apply(x1, x2)               // (b, n), (b, n) -> (b, 1)
 * new Dot(new int[] {2, 1}).apply(a, b)  // (b, 5, 2), (b, 2, 5) -> (b, 5, 5)
 * }</pre>
 */
public class Dot extends Layer {
    private final int[] axes;
    private final boolean axesIsPair;
    private boolean normalize;

    /**
     * A layer taking the dot product along the same axis of both inputs.
     *
     * @param axes the axis of both inputs along which to take the dot product (Keras's {@code axes} as an int);
     *     negative values count from the last axis
     */
    public Dot(int axes) {
        this.axes = new int[] {axes, axes};
        this.axesIsPair = false;
    }

    /**
     * A layer taking the dot product of axis {@code axes[0]} of the first input with axis {@code axes[1]} of the
     * second.
     *
     * @param axes two axes (Keras's {@code axes} as a tuple); negative values count from the last axis
     * @throws IllegalArgumentException if {@code axes} does not hold two elements
     */
    public Dot(int[] axes) {
        if (axes.length != 2) {
            throw new IllegalArgumentException("Invalid format for argument `axes`: it should contain two elements. Received: axes="
                    + java.util.Arrays.toString(axes));
        }
        this.axes = axes.clone();
        this.axesIsPair = true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Dot name(String n) {
        return super.name(n);
    }

    /**
     * Sets whether to L2-normalize samples along the dot product axis before taking the dot product (Keras's
     * {@code normalize}, default false); if true, the output is the cosine proximity between the two samples.
     *
     * @param n whether to normalize
     * @return this layer
     */
    public Dot normalize(boolean n) {
        this.normalize = n;
        return this;
    }

    /**
     * Whether samples are L2-normalized before the dot product.
     *
     * @return Keras's {@code normalize}
     */
    public boolean normalize() {
        return normalize;
    }

    private int[] resolved(int r1, int r2) {
        int a = axes[0] < 0 ? Math.floorMod(axes[0], r1) : axes[0];
        int b = axes[1] < 0 ? Math.floorMod(axes[1], r2) : axes[1];
        return new int[] {a, b};
    }

    private void check(int n) {
        if (n != 2) {
            throw new IllegalArgumentException("A `Dot` layer should be called on a list of 2 inputs. Received: " + n
                    + " inputs (layer \"" + name() + "\")");
        }
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        check(inputs.size());
        Tensor x1 = inputs.get(0), x2 = inputs.get(1);
        int[] ax = resolved(x1.rank(), x2.rank());
        if (ax[0] == 0 || ax[1] == 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": cannot perform batch_dot over axis 0 (the batch axis)");
        }
        if (normalize) {
            x1 = Ops.l2Normalize(x1, ax[0], 1e-7);
            x2 = Ops.l2Normalize(x2, ax[1], 1e-7);
        }
        long[] s1 = x1.shape(), s2 = x2.shape();
        long b = s1[0], k = s1[ax[0]];
        if (s2[ax[1]] != k) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": incompatible input shapes: axis values " + k + " (at axis "
                    + ax[0] + ") != " + s2[ax[1]] + " (at axis " + ax[1] + "). Full input shapes: " + Shape.format(s1) + ", "
                    + Shape.format(s2));
        }
        // x1 -> (b, M, k) with the contracted axis last; x2 -> (b, k, N) with it first after the batch
        int[] p1 = new int[s1.length];
        List<Long> outShape = new ArrayList<>();
        outShape.add(b);
        int j = 0;
        long m = 1;
        for (int i = 0; i < s1.length; i++) if (i != ax[0]) { p1[j++] = i; if (i > 0) { m *= s1[i]; outShape.add(s1[i]); } }
        p1[j] = ax[0];
        int[] p2 = new int[s2.length];
        p2[0] = 0;
        p2[1] = ax[1];
        j = 2;
        long n = 1;
        for (int i = 1; i < s2.length; i++) if (i != ax[1]) { p2[j++] = i; n *= s2[i]; outShape.add(s2[i]); }
        Tensor a = Ops.reshape(Ops.transpose(x1, p1), b, m, k);
        Tensor c = Ops.reshape(Ops.transpose(x2, p2), b, k, n);
        Tensor z = Ops.batchMatmul(a, c);
        if (outShape.size() == 1) outShape.add(1L);
        long[] os = new long[outShape.size()];
        for (int i = 0; i < os.length; i++) os[i] = outShape.get(i);
        return List.of(Ops.reshape(z, os));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        check(in.size());
        long[] s1 = in.get(0).dims(), s2 = in.get(1).dims();
        int[] ax = resolved(s1.length, s2.length);
        if (s1[ax[0]] >= 0 && s2[ax[1]] >= 0 && s1[ax[0]] != s2[ax[1]]) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": incompatible input shapes: axis values " + s1[ax[0]]
                    + " (at axis " + ax[0] + ") != " + s2[ax[1]] + " (at axis " + ax[1] + "). Full input shapes: " + in.get(0)
                    + ", " + in.get(1));
        }
        List<Long> o = new ArrayList<>();
        for (int i = 0; i < s1.length; i++) if (i != ax[0]) o.add(s1[i]);
        for (int i = 1; i < s2.length; i++) if (i != ax[1]) o.add(s2[i]);
        if (o.size() == 1) o.add(1L);
        long[] os = new long[o.size()];
        for (int i = 0; i < os.length; i++) os[i] = o.get(i);
        os[0] = Shape.NONE;
        return List.of(Shape.of(os));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("axes", axesIsPair ? List.of(axes[0], axes[1]) : axes[0]);
        c.put("normalize", normalize);
        return c;
    }

    /**
     * Re-creates a Dot layer from Keras's config ({@code axes} an int or a pair).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Dot fromConfig(Map<String, Object> c) {
        Object a = Configs.require(c, "axes");
        Dot d;
        if (a instanceof Number n) {
            d = new Dot(n.intValue());
        } else if (a instanceof List<?> l) {
            int[] ax = new int[l.size()];
            for (int i = 0; i < ax.length; i++) ax[i] = ((Number) l.get(i)).intValue();
            d = new Dot(ax);
        } else {
            throw new IllegalArgumentException("Dot \"" + c.get("name") + "\": invalid type for argument `axes`: it should be a list"
                    + " or an int. Received: axes=" + a);
        }
        return d.normalize(Configs.getBoolean(c, "normalize", false));
    }
}
