package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/**
 * Reshapes each sample to {@code targetShape}, {@code keras.layers.Reshape}; the batch axis is kept.
 * One entry may be -1: its size is inferred from the input's size and the other entries.
 *
 * <p>Input shape: any with a known sample size. Output shape: {@code (batch, ...target_shape)}.
 *
 * <pre>{@code
 * // (batch, 12) -> (batch, 3, 4)
 * Layer r1 = new Reshape(3, 4);
 * // (batch, 3, 4) -> (batch, 6, 2)
 * Layer r2 = new Reshape(-1, 2);
 * }</pre>
 */
public class Reshape extends Layer {
    private final long[] target;

    /**
     * A layer reshaping each sample to {@code targetShape}.
     *
     * @param targetShape the shape of each output sample, without the batch axis; at most one -1 (Keras's {@code target_shape})
     * @throws IllegalArgumentException on a non-positive entry other than -1, or more than one -1
     */
    public Reshape(long... targetShape) {
        int unknown = 0;
        for (long d : targetShape) {
            if (d == -1) unknown++;
            else if (d <= 0) throw new IllegalArgumentException("Reshape: invalid target_shape " + Shape.format(targetShape));
        }
        if (unknown > 1) throw new IllegalArgumentException("Reshape: there must be at most one unknown dimension (-1) in target_shape, got " + Shape.format(targetShape));
        this.target = targetShape.clone();
    }

    private long[] resolve(long sampleSize) {
        long[] t = target.clone();
        long known = 1;
        int u = -1;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == -1) u = i;
            else known *= t[i];
        }
        if (u >= 0) {
            if (sampleSize >= 0 && sampleSize % known != 0) throw mismatch(sampleSize);
            t[u] = sampleSize < 0 ? -1 : sampleSize / known;
        } else if (sampleSize >= 0 && known != sampleSize) {
            throw mismatch(sampleSize);
        }
        return t;
    }

    private IllegalArgumentException mismatch(long size) {
        return new IllegalArgumentException("Layer \"" + name() + "\": the total size of the target shape "
                + Shape.format(target) + " does not match the input's " + size + " elements per sample");
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long n = x.shape()[0];
        long[] t = resolve(x.value().length() / Math.max(1, n));
        long[] s = new long[t.length + 1];
        s[0] = n;
        System.arraycopy(t, 0, s, 1, t.length);
        return Ops.reshape(x, s);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        long[] t = resolve(in.get(0).sampleSize());
        return List.of(Shape.batchOf(t));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        List<Long> l = new ArrayList<>();
        for (long d : target) l.add(d);
        c.put("target_shape", l);
        return c;
    }

    /**
     * Re-creates a Reshape layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Reshape fromConfig(Map<String, Object> c) {
        return new Reshape(Configs.getLongs(c, "target_shape"));
    }
}
