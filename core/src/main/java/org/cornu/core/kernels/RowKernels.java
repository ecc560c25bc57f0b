package org.cornu.core.kernels;

import org.cornu.core.kernels.Elementwise.Buf;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * JVM loops for the row-wise and elementwise ops whose ND4J kernels cost 0.2-7 ms on small
 * arrays here (log_softmax on 512x46: 6.8 ms; softmax on 128x10: 0.2-1 ms), used by {@link org.cornu.core.ops.Ops}
 * on {@link Elementwise#fusable} arrays. Rows are the last axis.
 */
public final class RowKernels {
    private RowKernels() {}

    /** out = softmax(x) over rows of {@code width}. */
    public static void softmax(INDArray x, INDArray out, int width) {
        Buf in = Elementwise.buf(x), o = Elementwise.buf(out);
        int n = (int) x.length();
        for (int r = 0; r < n; r += width) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) max = Math.max(max, in.get(r + j));
            double sum = 0;
            for (int j = 0; j < width; j++) {
                double e = Math.exp(in.get(r + j) - max);
                o.set(r + j, e);
                sum += e;
            }
            for (int j = 0; j < width; j++) o.set(r + j, o.get(r + j) / sum);
        }
    }

    /** out = log_softmax(x) over rows of {@code width}. */
    public static void logSoftmax(INDArray x, INDArray out, int width) {
        Buf in = Elementwise.buf(x), o = Elementwise.buf(out);
        int n = (int) x.length();
        for (int r = 0; r < n; r += width) {
            double lse = logSumExp(in, r, width);
            for (int j = 0; j < width; j++) o.set(r + j, in.get(r + j) - lse);
        }
    }

    private static double logSumExp(Buf in, int r, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) max = Math.max(max, in.get(r + j));
        double sum = 0;
        for (int j = 0; j < width; j++) sum += Math.exp(in.get(r + j) - max);
        return max + Math.log(sum);
    }

    /** gx = y * (g - sum(g * y)) per row: softmax's backward from its output {@code y}. */
    public static void softmaxBackward(INDArray y, INDArray g, INDArray gx, int width) {
        Buf yb = Elementwise.buf(y), gb = Elementwise.buf(g), o = Elementwise.buf(gx);
        int n = (int) y.length();
        for (int r = 0; r < n; r += width) {
            double dot = 0;
            for (int j = 0; j < width; j++) dot += gb.get(r + j) * yb.get(r + j);
            for (int j = 0; j < width; j++) o.set(r + j, yb.get(r + j) * (gb.get(r + j) - dot));
        }
    }

    /**
     * Per-row categorical crossentropy from logits, {@code -sum(y * log_softmax(z))}, into
     * {@code per}; the softmax into {@code sm} for the backward.
     */
    public static void softmaxCrossEntropy(INDArray z, INDArray y, INDArray per, INDArray sm, int width) {
        Buf zb = Elementwise.buf(z), yb = Elementwise.buf(y), pb = Elementwise.buf(per), sb = Elementwise.buf(sm);
        int n = (int) z.length();
        for (int r = 0, row = 0; r < n; r += width, row++) {
            double lse = logSumExp(zb, r, width);
            double loss = 0;
            for (int j = 0; j < width; j++) {
                double lsm = zb.get(r + j) - lse;
                loss -= yb.get(r + j) * lsm;
                sb.set(r + j, Math.exp(lsm));
            }
            pb.set(row, loss);
        }
    }

    /** gz = (sm * sum(y) - y) * g[row]: the crossentropy's gradient with respect to the logits. */
    public static void softmaxCrossEntropyBackward(INDArray sm, INDArray y, INDArray g, INDArray gz, int width) {
        Buf sb = Elementwise.buf(sm), yb = Elementwise.buf(y), gb = Elementwise.buf(g), o = Elementwise.buf(gz);
        int n = (int) sm.length();
        for (int r = 0, row = 0; r < n; r += width, row++) {
            double ysum = 0;
            for (int j = 0; j < width; j++) ysum += yb.get(r + j);
            double gr = gb.get(row);
            for (int j = 0; j < width; j++) o.set(r + j, (sb.get(r + j) * ysum - yb.get(r + j)) * gr);
        }
    }

    /** out = relu(x) (out may be x). */
    public static void relu(INDArray x, INDArray out) {
        if (x.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            int n = (int) x.length();
            float[] a = Elementwise.scratch(0, n);
            Elementwise.floats(x).get(0, a, 0, n);
            for (int i = 0; i < n; i++) a[i] = Math.max(a[i], 0f);
            Elementwise.floats(out).put(0, a, 0, n);
            return;
        }
        Buf in = Elementwise.buf(x), o = Elementwise.buf(out);
        int n = (int) x.length();
        for (int i = 0; i < n; i++) {
            double v = in.get(i);
            o.set(i, v > 0 ? v : 0.0);
        }
    }

    /** out = sigmoid(x). */
    public static void sigmoid(INDArray x, INDArray out) {
        Buf in = Elementwise.buf(x), o = Elementwise.buf(out);
        int n = (int) x.length();
        for (int i = 0; i < n; i++) o.set(i, 1.0 / (1.0 + Math.exp(-in.get(i))));
    }

    /** out = max(z, 0) - z * y + log1p(exp(-|z|)), elementwise. */
    public static void sigmoidCrossEntropy(INDArray z, INDArray y, INDArray out) {
        Buf zb = Elementwise.buf(z), yb = Elementwise.buf(y), o = Elementwise.buf(out);
        int n = (int) z.length();
        for (int i = 0; i < n; i++) {
            double v = zb.get(i);
            o.set(i, Math.max(v, 0) - v * yb.get(i) + Math.log1p(Math.exp(-Math.abs(v))));
        }
    }

    /** gz = (sigmoid(z) - y) * g, elementwise. */
    public static void sigmoidCrossEntropyBackward(INDArray z, INDArray y, INDArray g, INDArray gz) {
        Buf zb = Elementwise.buf(z), yb = Elementwise.buf(y), gb = Elementwise.buf(g), o = Elementwise.buf(gz);
        int n = (int) z.length();
        for (int i = 0; i < n; i++) o.set(i, (1.0 / (1.0 + Math.exp(-zb.get(i))) - yb.get(i)) * gb.get(i));
    }
}
