package org.cornu.testing.opmatrix;

import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float64 reference implementations in plain Java loops, written from Keras's definitions and
 * sharing no code with Cornu's kernels: the matrix's forward references, and (differenced) its
 * gradient references. Padding is TensorFlow's: "same" pads {@code total / 2} before and the rest
 * after.
 */
public final class NaiveOps {
    private NaiveOps() {}

    static double[] d(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    static INDArray arr(double[] v, long... shape) {
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    /** {@code f} elementwise. */
    public static INDArray map(INDArray x, DoubleUnaryOperator f) {
        double[] v = d(x);
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(v[i]);
        return arr(v, x.shape());
    }

    /** {@code x (..., in) @ k (in, u) + b} ({@code b} may be null). */
    public static INDArray linear(INDArray x, INDArray k, INDArray b) {
        long in = k.size(0), u = k.size(1), rows = x.length() / in;
        double[] xv = d(x), kv = d(k), bv = b == null ? null : d(b), o = new double[(int) (rows * u)];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < u; j++) {
                double s = bv == null ? 0 : bv[j];
                for (int i = 0; i < in; i++) s += xv[(int) (r * in + i)] * kv[(int) (i * u + j)];
                o[(int) (r * u + j)] = s;
            }
        }
        long[] os = x.shape().clone();
        os[os.length - 1] = u;
        return arr(o, os);
    }

    /** Softmax over the last axis. */
    public static INDArray softmax(INDArray x) {
        int w = (int) x.size(x.rank() - 1);
        double[] v = d(x);
        for (int r = 0; r < v.length / w; r++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < w; j++) m = Math.max(m, v[r * w + j]);
            for (int j = 0; j < w; j++) s += Math.exp(v[r * w + j] - m);
            for (int j = 0; j < w; j++) v[r * w + j] = Math.exp(v[r * w + j] - m) / s;
        }
        return arr(v, x.shape());
    }

    /** Log-softmax over the last axis. */
    public static INDArray logSoftmax(INDArray x) {
        return map(softmax(x), Math::log);
    }

    /** Per-row {@code -sum(y * log_softmax(z))}. */
    public static INDArray softmaxCrossEntropy(INDArray z, INDArray y) {
        int w = (int) z.size(z.rank() - 1);
        double[] l = d(logSoftmax(z)), t = d(y), o = new double[l.length / w];
        for (int r = 0; r < o.length; r++) for (int j = 0; j < w; j++) o[r] -= t[r * w + j] * l[r * w + j];
        return arr(o, java.util.Arrays.copyOf(z.shape(), z.rank() - 1));
    }

    /** Elementwise {@code -y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z))}, computed stably. */
    public static INDArray sigmoidCrossEntropy(INDArray z, INDArray y) {
        double[] v = d(z), t = d(y);
        for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], 0) - v[i] * t[i] + Math.log1p(Math.exp(-Math.abs(v[i])));
        return arr(v, z.shape());
    }

    /** TF's padding before the data along one axis. */
    static int padBefore(int in, int k, int s, int dil, boolean same) {
        if (!same) return 0;
        int out = (in + s - 1) / s;
        return Math.max((out - 1) * s + (k - 1) * dil + 1 - in, 0) / 2;
    }

    static int outLen(int in, int k, int s, int dil, boolean same) {
        return same ? (in + s - 1) / s : (in - (k - 1) * dil - 1) / s + 1;
    }

    /** 2-D cross-correlation, NHWC, kernel {@code (kh, kw, cin, f)}, bias may be null. */
    public static INDArray conv2d(INDArray x, INDArray k, INDArray b, int[] s, boolean same, int[] dil) {
        int n = (int) x.size(0), h = (int) x.size(1), w = (int) x.size(2), c = (int) x.size(3);
        int kh = (int) k.size(0), kw = (int) k.size(1), f = (int) k.size(3);
        int oh = outLen(h, kh, s[0], dil[0], same), ow = outLen(w, kw, s[1], dil[1], same);
        int pt = padBefore(h, kh, s[0], dil[0], same), pl = padBefore(w, kw, s[1], dil[1], same);
        double[] xv = d(x), kv = d(k), bv = b == null ? null : d(b), o = new double[n * oh * ow * f];
        for (int bi = 0; bi < n; bi++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int q = 0; q < f; q++) {
            double acc = bv == null ? 0 : bv[q];
            for (int a = 0; a < kh; a++) for (int e = 0; e < kw; e++) {
                int y = i * s[0] - pt + a * dil[0], xx = j * s[1] - pl + e * dil[1];
                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                for (int ci = 0; ci < c; ci++) acc += xv[((bi * h + y) * w + xx) * c + ci] * kv[((a * kw + e) * c + ci) * f + q];
            }
            o[((bi * oh + i) * ow + j) * f + q] = acc;
        }
        return arr(o, n, oh, ow, f);
    }

    /** Max or average pooling, NHWC; padded cells never count (TF). */
    public static INDArray pool2d(INDArray x, int[] p, int[] s, boolean same, boolean max) {
        int n = (int) x.size(0), h = (int) x.size(1), w = (int) x.size(2), c = (int) x.size(3);
        int oh = outLen(h, p[0], s[0], 1, same), ow = outLen(w, p[1], s[1], 1, same);
        int pt = padBefore(h, p[0], s[0], 1, same), pl = padBefore(w, p[1], s[1], 1, same);
        double[] xv = d(x), o = new double[n * oh * ow * c];
        for (int bi = 0; bi < n; bi++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int ci = 0; ci < c; ci++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int cnt = 0;
            for (int a = 0; a < p[0]; a++) for (int e = 0; e < p[1]; e++) {
                int y = i * s[0] - pt + a, xx = j * s[1] - pl + e;
                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                double v = xv[((bi * h + y) * w + xx) * c + ci];
                acc = max ? Math.max(acc, v) : acc + v;
                cnt++;
            }
            o[((bi * oh + i) * ow + j) * c + ci] = max ? acc : acc / cnt;
        }
        return arr(o, n, oh, ow, c);
    }

    /**
     * The gradient of {@code sum(W * maxpool(x))} with Keras's (TensorFlow's) rule at ties: each
     * window's gradient goes to its first maximum in row-major order.
     */
    public static INDArray maxPool2dGrad(INDArray x, INDArray wts, int[] p, int[] s, boolean same) {
        int n = (int) x.size(0), h = (int) x.size(1), w = (int) x.size(2), c = (int) x.size(3);
        int oh = outLen(h, p[0], s[0], 1, same), ow = outLen(w, p[1], s[1], 1, same);
        int pt = padBefore(h, p[0], s[0], 1, same), pl = padBefore(w, p[1], s[1], 1, same);
        double[] xv = d(x), wv = d(wts), g = new double[xv.length];
        for (int bi = 0; bi < n; bi++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int ci = 0; ci < c; ci++) {
            int best = -1;
            for (int a = 0; a < p[0]; a++) for (int e = 0; e < p[1]; e++) {
                int y = i * s[0] - pt + a, xx = j * s[1] - pl + e;
                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                int at = ((bi * h + y) * w + xx) * c + ci;
                if (best < 0 || xv[at] > xv[best]) best = at;
            }
            g[best] += wv[((bi * oh + i) * ow + j) * c + ci];
        }
        return arr(g, x.shape());
    }

    private static double act(String a, double v) {
        switch (a) {
            case "tanh": return Math.tanh(v);
            case "sigmoid": return 1 / (1 + Math.exp(-v));
            case "relu": return Math.max(v, 0);
            case "linear": return v;
            default: throw new IllegalArgumentException(a);
        }
    }

    /**
     * Keras's recurrences, step by step: {@code cell} is "simple", "lstm" (gates i, f, c, o) or
     * "gru" (gates z, r, h; {@code resetAfter} as Keras's {@code reset_after}, bias {@code (2, 3U)}
     * then). A masked step keeps the states and repeats the previous output; {@code back}
     * processes the steps last to first, the sequence output in processing order (Keras's
     * {@code go_backwards}). Returns {@code (B, T*U + states*U)}: the sequence, then h (and c).
     */
    public static INDArray rnn(String cell, String actName, boolean back, boolean resetAfter, INDArray x, INDArray k, INDArray rk,
                               INDArray bias, INDArray mask) {
        int b = (int) x.size(0), t = (int) x.size(1), in = (int) x.size(2), u = (int) rk.size(0);
        int g = (int) rk.size(1);
        double[] xv = d(x), kv = d(k), rv = d(rk), bv = bias == null ? new double[2 * g] : d(bias), mv = mask == null ? null : d(mask);
        boolean lstm = cell.equals("lstm"), gru = cell.equals("gru");
        int states = lstm ? 2 : 1;
        double[] o = new double[b * (t * u + states * u)];
        int width = t * u + states * u;
        for (int s = 0; s < b; s++) {
            double[] h = new double[u], c = new double[u], out = new double[u];
            for (int step = 0; step < t; step++) {
                int ts = back ? t - 1 - step : step;
                boolean on = mv == null || mv[s * t + ts] != 0;
                if (on) {
                    double[] zx = new double[g], zh = new double[g];
                    for (int j = 0; j < g; j++) {
                        double a = bv[j];
                        for (int i = 0; i < in; i++) a += xv[(s * t + ts) * in + i] * kv[i * g + j];
                        zx[j] = a;
                        double r = gru && resetAfter ? bv[g + j] : 0;
                        for (int i = 0; i < u; i++) r += h[i] * rv[i * g + j];
                        zh[j] = r;
                    }
                    double[] hn = new double[u];
                    if (lstm) {
                        for (int j = 0; j < u; j++) {
                            double ig = act("sigmoid", zx[j] + zh[j]), fg = act("sigmoid", zx[u + j] + zh[u + j]);
                            double cg = act(actName, zx[2 * u + j] + zh[2 * u + j]), og = act("sigmoid", zx[3 * u + j] + zh[3 * u + j]);
                            c[j] = fg * c[j] + ig * cg;
                            hn[j] = og * act(actName, c[j]);
                        }
                    } else if (gru) {
                        double[] zg = new double[u], rg = new double[u];
                        for (int j = 0; j < u; j++) {
                            zg[j] = act("sigmoid", zx[j] + zh[j]);
                            rg[j] = act("sigmoid", zx[u + j] + zh[u + j]);
                        }
                        for (int j = 0; j < u; j++) {
                            double cand;
                            if (resetAfter) {
                                cand = zx[2 * u + j] + rg[j] * zh[2 * u + j];
                            } else {
                                double a = zx[2 * u + j];
                                for (int i = 0; i < u; i++) a += rg[i] * h[i] * rv[i * g + 2 * u + j];
                                cand = a;
                            }
                            hn[j] = zg[j] * h[j] + (1 - zg[j]) * act(actName, cand);
                        }
                    } else {
                        for (int j = 0; j < u; j++) hn[j] = act(actName, zx[j] + zh[j]);
                    }
                    h = hn;
                    out = hn;
                }
                System.arraycopy(out, 0, o, s * width + step * u, u);
            }
            System.arraycopy(h, 0, o, s * width + t * u, u);
            if (lstm) System.arraycopy(c, 0, o, s * width + t * u + u, u);
        }
        return arr(o, b, width);
    }
}
