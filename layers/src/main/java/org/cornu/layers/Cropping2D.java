package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * Cropping layer for 2D input (e.g. picture), {@code keras.layers.Cropping2D}. It crops along
 * spatial dimensions, i.e. height and width. {@code cropping} is
 * {@code ((top_crop, bottom_crop), (left_crop, right_crop))}; one int applies the same symmetric
 * cropping to height and width, two ints {@code (symmetric_height_crop, symmetric_width_crop)}
 * are applied to each (default no cropping).
 *
 * <p>Input: {@code (batch_size, height, width, channels)} (channels_last, the only data format
 * supported); output: {@code (batch_size, cropped_height, cropped_width, channels)}.
 *
 * <pre>{@code
 * new Cropping2D(new int[][] {{2, 2}, {4, 4}}).apply(x)   // (2, 28, 28, 3) -> (2, 24, 20, 3)
 * }</pre>
 */
public class Cropping2D extends Layer {
    private final int[][] cropping;

    /** No cropping: {@code ((0, 0), (0, 0))}. */
    public Cropping2D() {
        this(new int[][] {{0, 0}, {0, 0}});
    }

    /**
     * The same symmetric cropping {@code c} for height and width.
     *
     * @param c rows and columns to remove at each edge (Keras's {@code cropping} as one int)
     */
    public Cropping2D(int c) {
        this(new int[][] {{c, c}, {c, c}});
    }

    /**
     * Symmetric cropping {@code height} top and bottom, {@code width} left and right.
     *
     * @param height rows to remove at the top and at the bottom
     * @param width columns to remove at the left and at the right
     */
    public Cropping2D(int height, int width) {
        this(new int[][] {{height, height}, {width, width}});
    }

    /**
     * {@code ((top_crop, bottom_crop), (left_crop, right_crop))}.
     *
     * @param cropping Keras's {@code cropping} as two pairs, default {@code ((0, 0), (0, 0))}
     */
    public Cropping2D(int[][] cropping) {
        if (cropping.length != 2 || cropping[0].length != 2 || cropping[1].length != 2) {
            throw new IllegalArgumentException("`cropping` should have two elements of two ints each. Received: cropping="
                    + java.util.Arrays.deepToString(cropping) + ".");
        }
        for (int[] p : cropping) {
            for (int v : p) {
                if (v < 0) {
                    throw new IllegalArgumentException("`cropping` cannot be negative. Received: cropping="
                            + java.util.Arrays.deepToString(cropping) + ".");
                }
            }
        }
        this.cropping = new int[][] {cropping[0].clone(), cropping[1].clone()};
        this.inputNdim = 4;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Cropping2D name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Cropping2D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the data format (Keras's {@code data_format}); only {@code "channels_last"}, the default, is supported.
     *
     * @param f the data format
     * @return this layer
     */
    public Cropping2D dataFormat(String f) {
        ConvUtils.dataFormat("Cropping2D", f);
        return this;
    }

    /**
     * The cropping of each edge.
     *
     * @return {@code ((top, bottom), (left, right))}, Keras's {@code cropping}
     */
    public int[][] cropping() {
        return new int[][] {cropping[0].clone(), cropping[1].clone()};
    }

    private void check(long h, long w, Object shape) {
        if ((h >= 0 && cropping[0][0] + cropping[0][1] >= h) || (w >= 0 && cropping[1][0] + cropping[1][1] >= w)) {
            throw new IllegalArgumentException("Values in `cropping` argument should be smaller than the corresponding spatial"
                    + " dimension of the input. Received: input_shape=" + shape + ", cropping="
                    + java.util.Arrays.deepToString(cropping) + " (layer \"" + name() + "\")");
        }
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] xs = x.shape();
        check(xs[1], xs[2], Shape.format(xs));
        return Ops.slice(x, new long[] {0, cropping[0][0], cropping[1][0], 0},
                new long[] {xs[0], xs[1] - cropping[0][1], xs[2] - cropping[1][1], xs[3]});
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        Shape s = in.get(0);
        check(s.get(1), s.get(2), s);
        long h = s.get(1) < 0 ? -1 : s.get(1) - cropping[0][0] - cropping[0][1];
        long w = s.get(2) < 0 ? -1 : s.get(2) - cropping[1][0] - cropping[1][1];
        return List.of(Shape.of(s.get(0), h, w, s.get(3)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("cropping", List.of(ConvUtils.list(cropping[0]), ConvUtils.list(cropping[1])));
        c.put("data_format", "channels_last");
        return c;
    }

    /**
     * Re-creates a Cropping2D layer from Keras's config (an int, two ints, or two pairs).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Cropping2D fromConfig(Map<String, Object> c) {
        Object v = c.get("cropping");
        Cropping2D l;
        if (v == null) {
            l = new Cropping2D();
        } else if (v instanceof Number n) {
            l = new Cropping2D(n.intValue());
        } else {
            List<?> p = (List<?>) v;
            if (p.size() != 2) {
                throw new IllegalArgumentException("Cropping2D \"" + c.get("name") + "\": `cropping` should have two elements."
                        + " Received: cropping=" + v + ".");
            }
            int[][] cr = new int[2][];
            for (int i = 0; i < 2; i++) {
                Object e = p.get(i);
                if (e instanceof Number n) {
                    cr[i] = new int[] {n.intValue(), n.intValue()};
                } else {
                    List<?> q = (List<?>) e;
                    cr[i] = new int[] {((Number) q.get(0)).intValue(), ((Number) q.get(1)).intValue()};
                }
            }
            l = new Cropping2D(cr);
        }
        l.dataFormat(LayerConfigs.dataFormat(c));
        return l;
    }
}
