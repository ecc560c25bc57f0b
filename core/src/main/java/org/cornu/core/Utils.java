package org.cornu.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Keras's {@code keras.utils} helpers for arrays. */
public final class Utils {
    private Utils() {}

    /**
     * One-hot encodes integer class labels, as {@code keras.utils.to_categorical}: labels of
     * shape {@code (n,)} (or {@code (n, 1)}) become a float matrix {@code (n, numClasses)}.
     * A label outside {@code [0, numClasses)} is an error naming it.
     */
    public static INDArray toCategorical(INDArray labels, int numClasses) {
        long[] s = labels.shape();
        long n = labels.length();
        double[] lab = labels.castTo(DataType.DOUBLE).data().asDouble();
        float[] out = new float[Math.toIntExact(n * numClasses)];
        for (int i = 0; i < n; i++) {
            double l = lab[i];
            if (l < 0 || l >= numClasses || l != Math.rint(l)) {
                throw new IllegalArgumentException("to_categorical: label " + l + " at index " + i
                        + " is not an integer in [0, " + numClasses + ")");
            }
            out[(int) (i * numClasses + (long) l)] = 1f;
        }
        long[] shape;
        if (s.length >= 2 && s[s.length - 1] == 1) {
            shape = s.clone();
            shape[shape.length - 1] = numClasses;
        } else {
            shape = java.util.Arrays.copyOf(s, s.length + 1);
            shape[s.length] = numClasses;
        }
        return Nd4j.create(out, shape, 'c').castTo(Cornu.floatType());
    }

    /** One-hot encoding with as many classes as the largest label plus one. */
    public static INDArray toCategorical(INDArray labels) {
        return toCategorical(labels, (int) labels.castTo(DataType.DOUBLE).maxNumber().doubleValue() + 1);
    }

    /**
     * Scales each slice along {@code axis} to unit L{@code order} norm, as
     * {@code keras.utils.normalize(x, axis=-1, order=2)}; zero slices stay zero.
     */
    public static INDArray normalize(INDArray x, int axis, int order) {
        int ax = axis < 0 ? x.rank() + axis : axis;
        INDArray norms = order == 2 ? Transforms.sqrt(x.mul(x).sum(true, ax), false)
                : order == 1 ? Transforms.abs(x, true).sum(true, ax)
                : Transforms.pow(Transforms.pow(Transforms.abs(x, true), order, false).sum(true, ax), 1.0 / order, false);
        // where the norm is 0, divide by 1 (Keras sets those to 1)
        INDArray safe = norms.add(norms.eq(0).castTo(norms.dataType()));
        return x.div(safe.broadcast(x.shape()));
    }

    /** {@link #normalize(INDArray, int, int)} with Keras's defaults: last axis, L2. */
    public static INDArray normalize(INDArray x) {
        return normalize(x, -1, 2);
    }
}
