package org.cornu.losses;

import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shared pieces of the losses: Keras's rank alignment, label casting, one-hot labels.
 */
final class LossUtils {
    /** Keras's {@code backend.epsilon()}. */
    static final double EPSILON = 1e-7;

    private LossUtils() {}

    /** A target and a prediction brought to the same rank. */
    record Pair(INDArray yTrue, Tensor yPred) {}

    /**
     * Keras's {@code squeeze_or_expand_to_same_rank}: when the ranks differ by one and the
     * longer has a last axis of 1, that axis is squeezed (or the rank-1 partner expanded);
     * the target is cast to the prediction's float type.
     */
    static Pair align(INDArray yTrue, Tensor yPred) {
        INDArray y = cast(yTrue, yPred.value().dataType());
        Tensor p = yPred;
        int yr = y.rank();
        int pr = p.rank();
        if (yr == pr + 1 && y.size(yr - 1) == 1) {
            if (pr == 1) p = Ops.expandDims(p, -1);
            else y = y.reshape(dropLast(y.shape()));
        } else if (pr == yr + 1 && p.shape()[pr - 1] == 1) {
            if (yr == 1) y = y.reshape(y.length(), 1);
            else p = Ops.squeeze(p, -1);
        }
        return new Pair(y, p);
    }

    static INDArray cast(INDArray a, DataType t) {
        return a.dataType() == t ? a : a.castTo(t);
    }

    static long[] dropLast(long[] s) {
        long[] r = new long[s.length - 1];
        System.arraycopy(s, 0, r, 0, r.length);
        return r;
    }

    /** Throws Keras's shape error when target and prediction shapes differ. */
    static void requireSameShape(String loss, INDArray y, Tensor p) {
        if (!java.util.Arrays.equals(y.shape(), p.shape())) {
            throw new IllegalArgumentException("Arguments `target` and `output` must have the same shape for "
                    + loss + ". Received: target.shape=" + Shape.format(y.shape())
                    + ", output.shape=" + Shape.format(p.shape()));
        }
    }

    /**
     * One-hot encodes integer {@code labels} (any numeric type, shape {@code predShape} without
     * its last axis, or with a last axis of 1) over the last axis of {@code predShape}.
     */
    static INDArray oneHot(String loss, INDArray labels, long[] predShape, DataType type) {
        int pr = predShape.length;
        long classes = predShape[pr - 1];
        long[] lead = dropLast(predShape);
        long[] ls = labels.shape();
        boolean ok = java.util.Arrays.equals(ls, lead)
                || (ls.length == pr && ls[pr - 1] == 1 && java.util.Arrays.equals(dropLast(ls), lead));
        if (!ok) {
            throw new IllegalArgumentException("Arguments `target` and `output` must have the same shape up until"
                    + " the last dimension for " + loss + ": target.shape=" + Shape.format(ls)
                    + ", output.shape=" + Shape.format(predShape));
        }
        double[] lab = labels.castTo(DataType.DOUBLE).reshape(labels.length()).toDoubleVector();
        int n = lab.length;
        double[] oh = new double[Math.multiplyExact(n, Math.toIntExact(classes))];
        for (int i = 0; i < n; i++) {
            int l = org.cornu.core.ops.SparseLabels.check(loss, lab[i], classes);
            oh[(int) (i * classes + (long) l)] = 1.0;
        }
        return Nd4j.create(oh, predShape, type);
    }

}
