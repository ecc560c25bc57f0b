package org.cornu.core.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Scaled dot-product attention over float32 arrays in the projections' own layout, forward and
 * backward, one batch entry and head at a time: {@code scores = scale * Q K^T} and
 * {@code out = P V} are two BLAS products reading {@code Q}, {@code K}, {@code V} and writing
 * {@code out} in place through their row strides (no transposes), and the masked softmax is one
 * JVM pass over each {@code (T, S)} block. Composed from ND4J ops, the same attention took two
 * transposes of each operand, two batched products, a materialized broadcast of the mask, three
 * elementwise ops and a softmax forward, and as many again backward.
 *
 * <p>Layouts (C order): {@code q (B, T, N, H)}, {@code k (B, S, N, H)}, {@code v (B, S, N, Hv)},
 * {@code out (B, T, N, Hv)}, {@code probs (B, N, T, S)}. The mask, when given, holds 0 (not
 * attended) or nonzero at {@code mask[b * mb + n * mn + t * mt + s * ms]} (a stride of 0 broadcasts).
 * Masked scores take no part in the softmax and get probability 0; a row with no attended
 * position gets all zeros (as {@code softmax(scores * m - 1e9 * (1 - m)) * m} gives).
 *
 * <p>Backward, per block: {@code dV = Pd^T dO}, {@code dPd = dO V^T}, {@code dP = dPd * keep},
 * {@code dS = P * (dP - rowsum(dP * P))}, {@code dQ = scale * dS K}, {@code dK = scale * dS^T Q},
 * with {@code Pd = P * keep} the probabilities after dropout ({@code keep} is 0 or
 * {@code 1 / (1 - rate)}; no dropout when null).
 */
public final class AttentionKernels {
    private AttentionKernels() {}

    /** Per-thread native scratch for one or two {@code (T, S)} blocks. */
    private static final ThreadLocal<FloatBuffer[]> BLOCKS = ThreadLocal.withInitial(() -> new FloatBuffer[2]);

    /**
     * The sizes of one attention call.
     *
     * @param b batch
     * @param t query positions
     * @param s key/value positions
     * @param heads heads
     * @param h query/key size per head
     * @param hv value size per head
     */
    public record Geo(int b, int t, int s, int heads, int h, int hv) {
        long scoreCount() {
            return (long) b * heads * t * s;
        }
    }

    /**
     * A 0/1 mask read with broadcast strides.
     *
     * @param values the mask's values
     * @param mb stride of the batch index
     * @param mn stride of the head index
     * @param mt stride of the query position
     * @param ms stride of the key position
     */
    public record Mask(float[] values, int mb, int mn, int mt, int ms) {}

    /** Whether BLAS can be called directly (the kernels need it). */
    public static boolean available() {
        return Gemm.directAvailable();
    }

    private static FloatBuffer block(int slot, int n) {
        FloatBuffer[] b = BLOCKS.get();
        if (b[slot] == null || b[slot].capacity() < n) {
            b[slot] = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        return b[slot];
    }

    private static FloatBuffer at(FloatBuffer x, long offset) {
        return x.slice((int) offset, x.capacity() - (int) offset);
    }

    /**
     * Forward: fills {@code probs} with the masked softmax of the scaled scores and {@code out} with
     * {@code (probs * keep) V}.
     *
     * @param g the sizes
     * @param q the queries {@code (B, T, N, H)}
     * @param k the keys {@code (B, S, N, H)}
     * @param v the values {@code (B, S, N, Hv)}
     * @param mask the mask, or null for none
     * @param scale the factor on the scores
     * @param keep the dropout factors {@code (B, N, T, S)}, or null for none
     * @param probs receives the probabilities {@code (B, N, T, S)} (before dropout)
     * @param out receives the output {@code (B, T, N, Hv)}
     */
    public static void forward(Geo g, FloatBuffer q, FloatBuffer k, FloatBuffer v, Mask mask, float scale, FloatBuffer keep,
            FloatBuffer probs, FloatBuffer out) {
        int t = g.t(), s = g.s(), nh = g.heads(), h = g.h(), hv = g.hv();
        int ldq = nh * h, ldv = nh * hv, ts = t * s;
        float[] row = Elementwise.scratch(0, ts);
        FloatBuffer dropped = keep == null ? null : block(0, ts);
        for (int b = 0; b < g.b(); b++) {
            for (int n = 0; n < nh; n++) {
                long blockAt = ((long) b * nh + n) * ts;
                FloatBuffer p = at(probs, blockAt);
                Gemm.sgemmRaw(false, true, t, s, h, scale, at(q, (long) b * t * ldq + (long) n * h), ldq,
                        at(k, (long) b * s * ldq + (long) n * h), ldq, 0f, p, s);
                p.get(0, row, 0, ts);
                maskedSoftmax(row, t, s, mask, b, n);
                p.put(0, row, 0, ts);
                FloatBuffer pv = p;
                if (keep != null) {
                    float[] kp = Elementwise.scratch(1, ts);
                    keep.get((int) blockAt, kp, 0, ts);
                    for (int i = 0; i < ts; i++) row[i] *= kp[i];
                    dropped.put(0, row, 0, ts);
                    pv = dropped;
                }
                Gemm.sgemmRaw(false, false, t, hv, s, 1f, pv, s, at(v, (long) b * s * ldv + (long) n * hv), ldv, 0f,
                        at(out, (long) b * t * ldv + (long) n * hv), ldv);
            }
        }
    }

    /** Softmax of each row of the {@code (t, s)} block over its attended positions; others 0. */
    static void maskedSoftmax(float[] x, int t, int s, Mask mask, int b, int n) {
        for (int i = 0; i < t; i++) {
            int r = i * s;
            if (mask == null) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) max = Math.max(max, x[r + j]);
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    double e = Math.exp(x[r + j] - max);
                    x[r + j] = (float) e;
                    sum += e;
                }
                double inv = 1.0 / sum;
                for (int j = 0; j < s; j++) x[r + j] = (float) (x[r + j] * inv);
                continue;
            }
            float[] m = mask.values();
            int mo = b * mask.mb() + n * mask.mn() + i * mask.mt(), ms = mask.ms();
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s; j++) if (m[mo + j * ms] != 0) max = Math.max(max, x[r + j]);
            if (max == Double.NEGATIVE_INFINITY) {
                java.util.Arrays.fill(x, r, r + s, 0f);
                continue;
            }
            double sum = 0;
            for (int j = 0; j < s; j++) {
                double e = m[mo + j * ms] != 0 ? Math.exp(x[r + j] - max) : 0.0;
                x[r + j] = (float) e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int j = 0; j < s; j++) x[r + j] = (float) (x[r + j] * inv);
        }
    }

    /**
     * Backward: the gradients of {@code q}, {@code k}, {@code v} from the output's gradient; a
     * null destination is skipped.
     *
     * @param g the sizes
     * @param q the forward's queries
     * @param k the forward's keys
     * @param v the forward's values
     * @param scale the forward's factor on the scores
     * @param keep the forward's dropout factors, or null
     * @param probs the forward's probabilities
     * @param dout the output's gradient {@code (B, T, N, Hv)}
     * @param dq receives the queries' gradient, or null
     * @param dk receives the keys' gradient, or null
     * @param dv receives the values' gradient, or null
     */
    public static void backward(Geo g, FloatBuffer q, FloatBuffer k, FloatBuffer v, float scale, FloatBuffer keep,
            FloatBuffer probs, FloatBuffer dout, FloatBuffer dq, FloatBuffer dk, FloatBuffer dv) {
        int t = g.t(), s = g.s(), nh = g.heads(), h = g.h(), hv = g.hv();
        int ldq = nh * h, ldv = nh * hv, ts = t * s;
        FloatBuffer dp = block(0, ts), dropped = keep == null ? null : block(1, ts);
        float[] pr = Elementwise.scratch(0, ts), dr = Elementwise.scratch(1, ts);
        float[] kp = keep == null ? null : Elementwise.scratch(2, ts);
        for (int b = 0; b < g.b(); b++) {
            for (int n = 0; n < nh; n++) {
                long blockAt = ((long) b * nh + n) * ts;
                FloatBuffer p = at(probs, blockAt);
                FloatBuffer gOut = at(dout, (long) b * t * ldv + (long) n * hv);
                FloatBuffer vb = at(v, (long) b * s * ldv + (long) n * hv);
                if (keep != null) keep.get((int) blockAt, kp, 0, ts);
                if (dv != null) {
                    FloatBuffer pv = p;
                    if (keep != null) {
                        p.get(0, pr, 0, ts);
                        for (int i = 0; i < ts; i++) dr[i] = pr[i] * kp[i];
                        dropped.put(0, dr, 0, ts);
                        pv = dropped;
                    }
                    Gemm.sgemmRaw(true, false, s, hv, t, 1f, pv, s, gOut, ldv, 0f, at(dv, (long) b * s * ldv + (long) n * hv), ldv);
                }
                if (dq == null && dk == null) continue;
                Gemm.sgemmRaw(false, true, t, s, hv, 1f, gOut, ldv, vb, ldv, 0f, dp, s);
                p.get(0, pr, 0, ts);
                dp.get(0, dr, 0, ts);
                for (int i = 0; i < t; i++) {
                    int r = i * s;
                    if (kp != null) for (int j = 0; j < s; j++) dr[r + j] *= kp[r + j];
                    double dot = 0;
                    for (int j = 0; j < s; j++) dot += (double) dr[r + j] * pr[r + j];
                    float fd = (float) dot;
                    for (int j = 0; j < s; j++) dr[r + j] = pr[r + j] * (dr[r + j] - fd);
                }
                dp.put(0, dr, 0, ts);
                if (dq != null) {
                    Gemm.sgemmRaw(false, false, t, h, s, scale, dp, s, at(k, (long) b * s * ldq + (long) n * h), ldq, 0f,
                            at(dq, (long) b * t * ldq + (long) n * h), ldq);
                }
                if (dk != null) {
                    Gemm.sgemmRaw(true, false, s, h, t, scale, dp, s, at(q, (long) b * t * ldq + (long) n * h), ldq, 0f,
                            at(dk, (long) b * s * ldq + (long) n * h), ldq);
                }
            }
        }
    }
}
