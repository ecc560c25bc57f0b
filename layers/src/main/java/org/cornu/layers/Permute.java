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
import org.cornu.core.saving.Configs;

/**
 * Permutes the dimensions of the input according to a given pattern, {@code keras.layers.Permute}.
 * Useful e.g. connecting RNNs and convnets. {@code dims} is the permutation pattern and does not
 * include the batch dimension; indexing starts at 1. For instance, {@code new Permute(2, 1)}
 * permutes the first and second dimensions of the input:
 *
 * <pre>{@code
 * new Permute(2, 1).apply(x)   // (None, 10, 64) -> (None, 64, 10)
 * }</pre>
 */
public class Permute extends Layer {
    private final int[] dims;

    /**
     * Permutes the non-batch axes into the order {@code dims}.
     *
     * <pre>{@code
     * // (batch, 10, 64) -> (batch, 64, 10)
     * Layer p = new Permute(2, 1);
     * }</pre>
     *
     * @param dims a permutation of {@code 1..rank-1}, indexing from 1 as the batch axis is not permuted (Keras's {@code dims})
     * @throws IllegalArgumentException if {@code dims} is not such a permutation
     */
    public Permute(int... dims) {
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i + 1) {
                throw new IllegalArgumentException("Invalid permutation argument `dims` for Permute Layer. The set of indices in"
                        + " `dims` must be consecutive and start from 1. Received dims=" + Arrays.toString(dims));
            }
        }
        this.dims = dims.clone();
        this.inputNdim = dims.length + 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Permute name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Permute inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * The permutation of the non-batch axes.
     *
     * @return Keras's {@code dims}, 1-based
     */
    public int[] dims() {
        return dims.clone();
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        int[] perm = new int[dims.length + 1];
        System.arraycopy(dims, 0, perm, 1, dims.length);
        return Ops.transpose(x, perm);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        long[] s = in.get(0).dims();
        long[] o = new long[s.length];
        o[0] = Shape.NONE;
        for (int i = 0; i < dims.length; i++) o[i + 1] = s[dims[i]];
        return List.of(Shape.of(o));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        List<Object> l = new ArrayList<>();
        for (int d : dims) l.add(d);
        c.put("dims", l);
        return c;
    }

    /**
     * Re-creates a Permute layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Permute fromConfig(Map<String, Object> c) {
        long[] d = Configs.getLongs(c, "dims");
        int[] dims = new int[d.length];
        for (int i = 0; i < d.length; i++) dims[i] = (int) d[i];
        return new Permute(dims);
    }
}
