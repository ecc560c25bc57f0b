package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * Cropping layer for 1D input (e.g. temporal sequence), {@code keras.layers.Cropping1D}. It crops
 * along the time dimension (axis 1): {@code cropping} is how many units should be trimmed off at
 * the beginning and end of the cropping dimension (axis 1); a single int means the same value for
 * both (default {@code (1, 1)}).
 *
 * <p>Input: {@code (batch_size, axis_to_crop, features)}; output:
 * {@code (batch_size, cropped_axis, features)}.
 *
 * <pre>{@code
 * new Cropping1D(1).apply(x)   // (2, 3, 2) -> (2, 1, 2)
 * }</pre>
 */
public class Cropping1D extends Layer {
    private final int[] cropping;

    /** Crops one step at each end. */
    public Cropping1D() {
        this(1, 1);
    }

    /**
     * Crops {@code c} steps at each end.
     *
     * @param c steps to remove at each end (Keras's {@code cropping} as one int, default 1)
     */
    public Cropping1D(int c) {
        this(c, c);
    }

    /**
     * Crops {@code begin} steps at the start and {@code end} at the end.
     *
     * @param begin steps to remove at the start
     * @param end steps to remove at the end
     */
    public Cropping1D(int begin, int end) {
        if (begin < 0 || end < 0) {
            throw new IllegalArgumentException("The `cropping` argument must be a tuple of 2 non-negative integers. Received:"
                    + " cropping=(" + begin + ", " + end + ")");
        }
        this.cropping = new int[] {begin, end};
        this.inputNdim = 3;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Cropping1D name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Cropping1D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * The cropping of each end.
     *
     * @return {@code (begin, end)}, Keras's {@code cropping}
     */
    public int[] cropping() {
        return cropping.clone();
    }

    private void check(long len, Object shape) {
        if (len >= 0 && cropping[0] + cropping[1] >= len) {
            throw new IllegalArgumentException("`cropping` parameter of `Cropping1D` layer \"" + name() + "\" must be smaller than the"
                    + " input length. Received: input_shape=" + shape + ", cropping=(" + cropping[0] + ", " + cropping[1] + ")");
        }
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] xs = x.shape();
        check(xs[1], Shape.format(xs));
        return Ops.slice(x, new long[] {0, cropping[0], 0}, new long[] {xs[0], xs[1] - cropping[1], xs[2]});
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        Shape s = in.get(0);
        check(s.get(1), s);
        return List.of(Shape.of(s.get(0), s.get(1) < 0 ? -1 : s.get(1) - cropping[0] - cropping[1], s.get(2)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("cropping", ConvUtils.list(cropping));
        return c;
    }

    /**
     * Re-creates a Cropping1D layer from Keras's config ((1, 1) when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Cropping1D fromConfig(Map<String, Object> c) {
        int[] cr = c.get("cropping") == null ? new int[] {1, 1} : LayerConfigs.ints(c, "cropping", 2);
        return new Cropping1D(cr[0], cr[1]);
    }
}
