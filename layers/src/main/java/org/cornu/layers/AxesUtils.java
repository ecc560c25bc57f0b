package org.cornu.layers;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.NormOps;
import org.cornu.core.ops.Ops;

/** Computations over a set of axes, done as one 2-D {@code (rest, axes)} computation over the last axis. */
final class AxesUtils {
    private AxesUtils() {}

    /** {@code axes} (negative counting from the end) as sorted, distinct non-negative axes of a rank-{@code r} tensor. */
    static int[] resolve(String layer, int[] axes, int r) {
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] >= r || axes[i] < -r) {
                throw new IllegalArgumentException(layer + ": axis " + axes[i] + " is out of bounds for input of rank " + r
                        + ". Received: axis=" + Arrays.toString(axes));
            }
            a[i] = axes[i] < 0 ? axes[i] + r : axes[i];
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) throw new IllegalArgumentException(layer + ": duplicate axis in axis=" + Arrays.toString(axes));
        }
        return a;
    }

    /**
     * Applies {@code f} to {@code x} with the axes {@code axes} (resolved) moved last, in order,
     * and flattened: {@code f} sees a {@code (rest, prod(axes))} tensor and returns one of that
     * shape; the result is moved back to {@code x}'s layout.
     */
    static Tensor over(Tensor x, int[] axes, UnaryOperator<Tensor> f) {
        int r = x.rank();
        boolean[] in = new boolean[r];
        for (int a : axes) in[a] = true;
        int[] perm = new int[r];
        int k = 0;
        long p = 1, q = 1;
        long[] xs = x.shape();
        for (int i = 0; i < r; i++) if (!in[i]) { perm[k++] = i; p *= xs[i]; }
        for (int i = 0; i < r; i++) if (in[i]) { perm[k++] = i; q *= xs[i]; }
        Tensor t = Ops.transpose(x, perm);
        long[] ts = t.shape();
        Tensor y = f.apply(Ops.reshape(t, p, q));
        y = Ops.reshape(y, ts);
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[perm[i]] = i;
        return Ops.transpose(y, inv);
    }

    /** Keras's {@code moments} over axis 1 of a 2-D tensor, then {@code (x - mean) / sqrt(var + epsilon)}. */
    static Tensor standardize(Tensor x2, double epsilon) {
        return NormOps.layerNorm(x2, null, null, epsilon);
    }

    static List<Object> list(int... v) {
        return ConvUtils.list(v);
    }

    /** An int or a list of ints ({@code axis} in Keras's configs). */
    static int[] ints(Object v, String what) {
        if (v instanceof Number n) return new int[] {n.intValue()};
        if (v instanceof List<?> l) {
            int[] r = new int[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).intValue();
            return r;
        }
        throw new IllegalArgumentException("Expected an int or a list/tuple of ints for " + what + ", but received: " + v);
    }
}
