package org.cornu.layers;

import java.util.Arrays;
import org.cornu.core.Cornu;
import org.cornu.core.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code numerical_utils.encode_categorical_inputs}, shared by CategoryEncoding, Hashing and
 * the lookup layers: integer indices to {@code int} (as they are), {@code one_hot} (a trailing axis of
 * size 1 is replaced, any other gets a new axis of {@code depth}), {@code multi_hot} or {@code count}
 * (the last axis is the sample axis and becomes {@code depth}; a scalar is one sample).
 */
final class CategoricalEncoder {
    /** An index that is left out of every encoding (Keras's dropped mask positions). */
    static final long DROP = -1;

    private CategoricalEncoder() {}

    /** The indices as longs in C order. */
    static long[] longs(INDArray x) {
        if (x.dataType().isFPType()) {
            double[] d = x.dup('c').data().asDouble();
            long[] r = new long[d.length];
            for (int i = 0; i < d.length; i++) r[i] = (long) d[i];
            return r;
        }
        return x.castTo(DataType.LONG).dup('c').data().asLong();
    }

    /** Output shape of {@code mode} for inputs of {@code shape} (dimensions may be unknown, negative). */
    static long[] outputShape(long[] shape, String mode, long depth) {
        if (mode.equals("int")) return shape.clone();
        if (shape.length == 0) return new long[] {depth};
        if (mode.equals("one_hot")) {
            long[] base = shape.length > 1 && shape[shape.length - 1] == 1 ? Arrays.copyOf(shape, shape.length - 1) : shape;
            long[] r = Arrays.copyOf(base, base.length + 1);
            r[base.length] = depth;
            return r;
        }
        long[] r = shape.clone();
        r[r.length - 1] = depth;
        return r;
    }

    /**
     * Encodes {@code idx} (C order, of {@code shape}). Indices equal to {@link #DROP} are left out when
     * {@code dropAllowed}; any other index outside {@code [0, depth)} is an error naming the layer.
     * {@code weights} (same length as {@code idx}) scale each count; {@code perBin} scales each output bin (tf_idf).
     */
    static INDArray encode(long[] idx, long[] shape, String mode, int depth, double[] weights, double[] perBin,
                           boolean dropAllowed, String layer) {
        if (mode.equals("int")) return Nd4j.createFromArray(idx).reshape(shape);
        for (long v : idx) {
            if ((v < 0 || v >= depth) && !(dropAllowed && v == DROP)) {
                throw new IllegalArgumentException("Layer \"" + layer + "\": input values must be in the range 0 <= values < "
                        + depth + " (num_tokens). Received: " + v + " in inputs of shape " + Shape.format(shape));
            }
        }
        long[] out = outputShape(shape, mode, depth);
        double[] r;
        if (mode.equals("one_hot")) {
            r = new double[idx.length * depth];
            for (int i = 0; i < idx.length; i++) if (idx[i] >= 0) r[i * depth + (int) idx[i]] = perBin == null ? 1 : perBin[(int) idx[i]];
        } else {
            int last = shape.length == 0 ? 1 : (int) shape[shape.length - 1];
            int rows = last == 0 ? 0 : idx.length / last;
            if (last == 0) {
                long n = 1;
                for (int i = 0; i < out.length - 1; i++) n *= out[i];
                rows = (int) n;
            }
            r = new double[rows * depth];
            boolean multi = mode.equals("multi_hot");
            for (int row = 0; row < rows; row++) {
                for (int j = 0; j < last; j++) {
                    int i = row * last + j;
                    if (idx[i] < 0) continue;
                    int o = row * depth + (int) idx[i];
                    if (multi) r[o] = 1;
                    else r[o] += weights == null ? 1 : weights[i];
                }
                if (perBin != null) for (int k = 0; k < depth; k++) r[row * depth + k] *= perBin[k];
            }
        }
        return Nd4j.create(r, out, DataType.DOUBLE).castTo(Cornu.floatType());
    }
}
