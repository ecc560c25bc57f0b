package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * Zero-padding layer for 2D input (e.g. picture), {@code keras.layers.ZeroPadding2D(padding=(1, 1),
 * data_format=None)}. This layer can add rows and columns of zeros at the top, bottom, left and right side of an
 * image tensor.
 *
 * <p>{@code padding}: one int, the same symmetric padding applied to height and width; two ints, different
 * symmetric padding values for height and width, {@code (symmetric_height_pad, symmetric_width_pad)}; or four
 * ints, {@code (top_pad, bottom_pad, left_pad, right_pad)} (Keras's {@code ((top_pad, bottom_pad), (left_pad,
 * right_pad))}).
 *
 * <p>Input shape: 4D tensor {@code (batch_size, height, width, channels)}, channels_last. Output shape:
 * {@code (batch_size, padded_height, padded_width, channels)}.
 *
 * <pre>{@code
 * INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 2, 2);
 * INDArray y = new ZeroPadding2D(1).apply(x);   // shape (1, 3, 4, 2), the input in the middle
 * }</pre>
 */
public class ZeroPadding2D extends Layer {
    private final int top, bottom, left, right;

    /** One cell on every side. */
    public ZeroPadding2D() {
        this(1);
    }

    /**
     * Pads with zeros: one int for all four sides, {@code (symmetric_height, symmetric_width)}, or
     * {@code (top, bottom, left, right)}.
     *
     * @param padding the padding (Keras's {@code padding}, default 1)
     * @throws IllegalArgumentException for another number of ints or a negative one
     */
    public ZeroPadding2D(int... padding) {
        int[] p;
        if (padding.length == 1) p = new int[] {padding[0], padding[0], padding[0], padding[0]};
        else if (padding.length == 2) p = new int[] {padding[0], padding[0], padding[1], padding[1]};
        else if (padding.length == 4) p = padding.clone();
        else throw new IllegalArgumentException("ZeroPadding2D: `padding` should be an int, 2 ints or 4 ints"
                    + " ((top, bottom), (left, right)). Received: padding=" + java.util.Arrays.toString(padding));
        for (int v : p) {
            if (v < 0) throw new IllegalArgumentException("ZeroPadding2D: `padding` must be >= 0. Received: padding="
                    + java.util.Arrays.toString(padding));
        }
        top = p[0];
        bottom = p[1];
        left = p[2];
        right = p[3];
        this.inputNdim = 4;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ZeroPadding2D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ZeroPadding2D name(String n) {
        return super.name(n);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return ConvOps.zeroPad2d(x, top, bottom, left, right);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        long h = s.get(1), w = s.get(2);
        return Shape.of(s.get(0), h < 0 ? -1 : h + top + bottom, w < 0 ? -1 : w + left + right, s.get(3));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("padding", List.of(List.of(top, bottom), List.of(left, right)));
        c.put("data_format", "channels_last");
        return c;
    }

    /**
     * Re-creates a ZeroPadding2D layer from Keras's config: an int, {@code (h, w)} or {@code ((top, bottom), (left, right))}; (1, 1) when absent.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static ZeroPadding2D fromConfig(Map<String, Object> c) {
        Object p = c.get("padding");
        int[] pad;
        if (p == null) {
            pad = new int[] {1};
        } else if (p instanceof Number n) {
            pad = new int[] {n.intValue()};
        } else {
            List<?> l = (List<?>) p;
            java.util.List<Integer> flat = new java.util.ArrayList<>();
            boolean nested = false;
            for (Object o : l) {
                if (o instanceof List<?> inner) {
                    nested = true;
                    for (Object v : inner) flat.add(((Number) v).intValue());
                } else {
                    flat.add(((Number) o).intValue());
                }
            }
            if (nested && flat.size() != 4) {
                throw new IllegalArgumentException("ZeroPadding2D \"" + c.get("name") + "\": padding should be"
                        + " ((top, bottom), (left, right)). Received: padding=" + p);
            }
            pad = flat.stream().mapToInt(Integer::intValue).toArray();
        }
        ZeroPadding2D z = new ZeroPadding2D(pad);
        LayerConfigs.dataFormat(c);
        return z;
    }
}
